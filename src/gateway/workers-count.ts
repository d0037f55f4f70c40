/**
 * `--workers N|auto`: how many data-plane processes one replica runs. Pure: the caller passes
 * the core count (os.availableParallelism(), which follows CPU affinity but not a cgroup CPU
 * quota: in a container give N explicitly, matching the CPU limit).
 */
export const MAX_WORKERS = 64;

export type WorkersChoice = { ok: true; workers: number } | { ok: false; message: string };

export function parseWorkers(value: string | undefined, cores: number): WorkersChoice {
  const v = (value ?? '1').trim().toLowerCase();
  if (v === 'auto') return { ok: true, workers: Math.max(1, Math.min(MAX_WORKERS, Math.floor(cores))) };
  if (!/^\d+$/.test(v)) return { ok: false, message: `--workers: expected a whole number 1-${MAX_WORKERS} or "auto", got "${value}"` };
  const n = Number(v);
  if (n < 1 || n > MAX_WORKERS) return { ok: false, message: `--workers: expected 1-${MAX_WORKERS} or "auto", got ${n}` };
  return { ok: true, workers: n };
}

/**
 * Delay before restarting a crashed worker: none for one that ran a while, doubling for one
 * that keeps dying at start (bounded), so a broken worker is retried and counted, never spun.
 */
export function restartDelayMs(quickCrashes: number, baseMs = 100, maxMs = 10_000): number {
  if (quickCrashes <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(quickCrashes - 1, 20));
}
