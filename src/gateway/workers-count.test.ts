import { describe, expect, it } from 'vitest';
import { MAX_WORKERS, parseWorkers, restartDelayMs } from './workers-count.ts';

describe('parseWorkers', () => {
  it('defaults to one process', () => {
    expect(parseWorkers(undefined, 8)).toEqual({ ok: true, workers: 1 });
  });
  it('takes a whole number and "auto" (the cores, bounded)', () => {
    expect(parseWorkers('3', 8)).toEqual({ ok: true, workers: 3 });
    expect(parseWorkers('auto', 2)).toEqual({ ok: true, workers: 2 });
    expect(parseWorkers('AUTO', 500)).toEqual({ ok: true, workers: MAX_WORKERS });
    expect(parseWorkers('auto', 0)).toEqual({ ok: true, workers: 1 });
  });
  it('refuses anything else with a message naming the flag', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '', String(MAX_WORKERS + 1)]) {
      const r = parseWorkers(bad, 4);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/--workers/);
    }
  });
});

describe('restartDelayMs', () => {
  it('restarts a worker that ran a while at once, and backs off one that keeps crashing', () => {
    expect(restartDelayMs(0)).toBe(0);
    expect(restartDelayMs(1)).toBe(100);
    expect(restartDelayMs(2)).toBe(200);
    expect(restartDelayMs(5)).toBe(1600);
    expect(restartDelayMs(50)).toBe(10_000);
  });
});
