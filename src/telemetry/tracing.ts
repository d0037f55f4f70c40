/** OpenTelemetry tracing for the data plane (being built): undefined when off, so it costs nothing. */
import type { FileConfig } from '../config/schema.ts';
import type { Tracer } from '../gateway/tracer.ts';

export async function createTracer(cfg: FileConfig): Promise<Tracer | undefined> {
  void cfg;
  return undefined;
}
