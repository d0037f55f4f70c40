/** Test fixtures for the prediction log: compiled routes and events (used by tests only). */
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { routeSchema, type RouteInput } from '../../src/config/schema.ts';
import { compileRoute, type CompiledRoute } from '../../src/routing/compile.ts';
import type { PredictionEvent } from '../../src/predictions/record.ts';

export function testRoute(name = 'fraud', extra: Partial<RouteInput> = {}): CompiledRoute {
  const cfg = routeSchema.parse({
    models: [name],
    variants: [
      { name: 'v1', backend: 'http://127.0.0.1:9001', version: '1.4.2', weight: 50 },
      { name: 'v2', backend: 'http://127.0.0.1:9002', version: '2.0.0', weight: 50 },
    ],
    ...extra,
  });
  return compileRoute(name, cfg, 7);
}

export function testEvent(route: CompiledRoute, over: Partial<PredictionEvent> = {}): PredictionEvent {
  return {
    ts: 1_700_000_000_123,
    rid: 'req-1',
    route,
    variant: 'v1',
    version: '1.4.2',
    role: 'live',
    assign: 'hash',
    unit: 'user-42',
    bucket: 1234,
    status: 200,
    latencyMs: 1.2345678,
    protocol: 'v1',
    request: { instances: [[0.3, 12]] },
    response: Buffer.from(JSON.stringify({ predictions: [0.91] })),
    cfg: 7,
    ...over,
  };
}

/** stream entry fields as an object (XRANGE returns [id, [k, v, k, v ...]]) */
export function fieldsOf(flat: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) o[flat[i]] = flat[i + 1];
  return o;
}

/** The log outcome counters of one route, read from a registry. */
export async function logCounts(registry: Registry, route: string): Promise<Record<'written' | 'dropped' | 'sampled_out', number>> {
  const m = await registry.getSingleMetric('modelgate_log_entries_total')!.get();
  const out = { written: 0, dropped: 0, sampled_out: 0 };
  for (const v of m.values) if (v.labels.route === route) out[v.labels.outcome as keyof typeof out] = v.value;
  return out;
}

export async function gaugeValue(registry: Registry, name: string): Promise<number> {
  const m = await registry.getSingleMetric(name)!.get();
  return m.values[0]?.value ?? NaN;
}

/** Every entry of a stream, oldest first, as field objects. */
export async function readStream(client: Redis, key: string): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  let start = '-';
  for (;;) {
    const page = (await client.xrange(key, start, '+', 'COUNT', 5000)) as [string, string[]][];
    for (const [, f] of page) out.push(fieldsOf(f));
    if (page.length < 5000) return out;
    start = `(${page[page.length - 1][0]}`;
  }
}

/**
 * Follows a stream with XREAD BLOCK until its Redis dies or stop() is called: what a consumer
 * saw of a Redis that is then killed (its data is gone with it).
 */
export function tailStream(url: string, key: string): { seen: Record<string, string>[]; stop(): Promise<void> } {
  const client = new Redis(url, { enableOfflineQueue: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  const seen: Record<string, string>[] = [];
  let running = true;
  const loop = (async () => {
    let last = '0-0';
    while (running) {
      try {
        const r = (await client.xread('COUNT', 10_000, 'BLOCK', 200, 'STREAMS', key, last)) as [string, [string, string[]][]][] | null;
        for (const [, entries] of r ?? [])
          for (const [id, f] of entries) {
            seen.push(fieldsOf(f));
            last = id;
          }
      } catch {
        return;
      }
    }
  })();
  return {
    seen,
    async stop() {
      running = false;
      await loop;
      client.disconnect();
    },
  };
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
