/**
 * Graceful stop of the data plane (RELIABILITY.md; what a load balancer or Kubernetes
 * expects). With `delay` (SIGTERM): `/readyz` answers 503 and every answer carries
 * `Connection: close` at once, while the listener keeps serving for `limits.drain_delay_ms`
 * (time for the endpoint to be removed). Then: stop accepting, close idle keep-alive sockets,
 * let in-flight requests and answers finish up to `limits.shutdown_timeout_ms`, close the rest.
 */
import type { DataPlane } from '../http/data-plane.ts';

export interface DrainLimits {
  drain_delay_ms: number;
  shutdown_timeout_ms: number;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** resolves true when everything finished, false when the shutdown timeout cut it short */
export async function drainDataPlane(plane: DataPlane, limits: DrainLimits, delay: boolean): Promise<boolean> {
  plane.beginDrain();
  if (delay && limits.drain_delay_ms > 0) await wait(limits.drain_delay_ms);
  // close the listener right after a poll phase: connections whose handshake the kernel already
  // completed are accepted (and served) first, not reset with the listen socket's backlog
  await new Promise<void>((r) => setImmediate(r));
  plane.stopAccepting();
  const finished = await Promise.race([plane.drained().then(() => true), wait(limits.shutdown_timeout_ms).then(() => false)]);
  plane.server.closeAllConnections();
  plane.server.close(); // also stops the connections-checking timer
  return finished;
}
