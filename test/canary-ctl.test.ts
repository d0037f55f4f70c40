/**
 * Manual control through `modelgate ctl canary ...` (the commander commands, run in process
 * against a real gateway's admin API, a private Redis and a running monitor).
 */
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCanaryCommands } from '../src/ctl/canary.ts';
import { ALICE } from './control-plane-helpers.ts';
import { canaryAudit, startHarness, weightsOf, type Harness } from './canary-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** Runs `modelgate ctl ARGS` and returns what it printed. */
async function ctl(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command().exitOverride();
  const c = program.command('ctl').option('--url <url>').option('--token <token>').option('--json');
  registerCanaryCommands(c);
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'modelgate', 'ctl', '--url', h.adminUrl, '--token', ALICE, ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, code };
}

const json = async (...args: string[]) => JSON.parse((await ctl('--json', ...args)).out);

describe('ctl canary', () => {
  it('starts, pauses, resumes, promotes and aborts plans', async () => {
    const started = await json('canary', 'start', 'fraud', '--canary', 'v2', '--stable', 'v1', '--steps', '10,50,100', '--step-min-ms', '600000', '--error-max', '0.02', '--p99-relative', '1.5');
    expect(started).toMatchObject({ state: 'progressing', step: 0, weight: 10, canary: 'v2', stable: 'v1' });
    expect(started.plan.checks).toEqual({ error_rate: { max: 0.02, action: 'rollback' }, latency_p99: { max_relative: 1.5, action: 'rollback' } });
    expect(await weightsOf(h)).toEqual({ v1: 90, v2: 10 });

    const table = await ctl('canary', 'status', 'fraud');
    expect(table.out).toMatch(/route fraud: PROGRESSING/);
    expect(table.out).toMatch(/canary v2 at 10% \(stable v1\); steps \[10%\] → 50% → 100%/);

    const again = await ctl('canary', 'start', 'fraud', '--canary', 'v2', '--stable', 'v1', '--steps', '10,100');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/409 CONFLICT/);

    expect(await json('canary', 'pause', 'fraud')).toMatchObject({ state: 'paused', weight: 10 });
    expect((await ctl('canary', 'pause', 'fraud')).err).toMatch(/already paused/);
    expect(await json('canary', 'resume', 'fraud')).toMatchObject({ state: 'progressing', weight: 10, reason: null });
    expect(await json('canary', 'promote', 'fraud')).toMatchObject({ state: 'promoted', weight: 100 });
    expect(await weightsOf(h)).toEqual({ v1: 0, v2: 100 });
    expect((await ctl('canary', 'resume', 'fraud')).err).toMatch(/promoted/);

    // the old stable comes back as the canary of a new plan, and is aborted
    expect(await json('canary', 'start', 'fraud', '--canary', 'v1', '--stable', 'v2', '--steps', '5,100')).toMatchObject({ state: 'progressing', weight: 5 });
    expect(await weightsOf(h)).toEqual({ v1: 5, v2: 95 });
    const aborted = await json('canary', 'abort', 'fraud');
    expect(aborted).toMatchObject({ state: 'aborted', weight: 0 });
    expect(aborted.history.at(-1)).toMatchObject({ to: 'aborted', by: 'alice' });
    expect(await weightsOf(h)).toEqual({ v1: 0, v2: 100 });

    expect((await canaryAudit(h)).map((e) => e.action)).toEqual(['canary_start', 'canary_promote', 'canary_start', 'canary_abort']);
    const states = h.hooks.filter((x) => x.type === 'canary_state_changed').map((x) => x.to);
    expect(states).toEqual(['progressing', 'paused', 'progressing', 'promoted', 'progressing', 'aborted']);
  });

  it('rejects invalid plans with every problem, and unknown routes', async () => {
    const bad = await ctl('canary', 'start', 'fraud', '--canary', 'v9', '--stable', 'v1', '--steps', '50,20');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/400 INVALID_CONFIG/);
    expect(bad.err).toMatch(/- canary:/);
    expect(bad.err).toMatch(/- steps\[1\]: steps must increase/);
    expect((await ctl('canary', 'status', 'nope')).err).toMatch(/404 ROUTE_NOT_FOUND/);
  });

  it('prints the shadow report', async () => {
    const r = await ctl('shadows', 'report', 'fraud');
    expect(r.out).toMatch(/route fraud: shadow reports insufficient_data/);
  });
});
