/**
 * Stopping an experiment twice (issue 12): the second stop is a no-op that keeps the stored
 * results; only an explicit purge (`DELETE ...?purge=true`, `ctl experiment delete`) removes
 * them, and never while the experiment runs. A gateway in process on a private redis-server;
 * the monitor's results are written through the same ExperimentStore the monitor uses.
 */
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerExperimentCommands } from '../src/ctl/experiment.ts';
import { ExperimentStore } from '../src/monitor/experiments/experiment-store.ts';
import type { Results } from '../src/monitor/experiments/evaluate.ts';
import { Redis } from 'ioredis';
import { admin, ALICE, TOKENS } from './control-plane-helpers.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';

let redis: PrivateRedis;
let gw: Awaited<ReturnType<typeof gatewayWith>>;
let adminUrl: string;
let conn: Redis;
let experiments: ExperimentStore;
const PATH = '/admin/routes/fraud/experiment';

beforeAll(async () => {
  process.env.MODELGATE_ADMIN_TOKENS = TOKENS;
  redis = await startRedis();
  gw = await gatewayWith({ redis: { url: redis.url, prefix: 'mg' }, routes: { fraud: splitRoute(['http://127.0.0.1:9', 'http://127.0.0.1:10']) } });
  adminUrl = `http://127.0.0.1:${gw.adminPort}`;
  conn = new Redis(redis.url);
  experiments = new ExperimentStore(conn, 'mg');
});

afterAll(async () => {
  conn?.disconnect();
  await gw?.close();
  await redis?.stop();
});

/** what the monitor would have written after a look (the fields the view shows) */
const resultsFor = (id: string): Results =>
  ({
    experiment_id: id,
    updated_at: Date.now(),
    primary: { metric: 'converted', kind: 'binary', arms: [{ arm: 'v1', units: 120, estimate: 0.1 }, { arm: 'v2', units: 118, estimate: 0.13 }], comparisons: [] },
    arms: {},
    srm: { statistic: 0.02, pvalue: 0.9, alarm: false, units: { v1: 120, v2: 118 }, expected_share: { v1: 0.5, v2: 0.5 } },
    guardrails: [],
    join: { matched: 238, unmatched: 0, excluded: 0, duplicate: 0, pending: 0 },
    always_valid: {},
  }) as unknown as Results;

async function ctl(args: string[]): Promise<string> {
  const program = new Command('modelgate').exitOverride();
  const c = program.command('ctl').option('--url <url>').option('--token <token>').option('--json');
  registerExperimentCommands(c);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((out += String(s)), true));
  try {
    await program.parseAsync(['node', 'modelgate', 'ctl', '--url', adminUrl, '--token', ALICE, ...args]);
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  return out;
}

describe('experiment stop, twice', () => {
  it('keeps the results on the second stop; purge deletes them, never while running', async () => {
    const started = await admin(adminUrl, 'POST', PATH, { body: { metric: 'converted', baseline_rate: 0.1, mde: 0.02 } });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    expect(await experiments.saveResults('fraud', id, resultsFor(id))).toBe(true);

    // a running experiment is not purged
    const early = await admin(adminUrl, 'DELETE', `${PATH}?purge=true`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('CONFLICT');

    const first = await admin(adminUrl, 'DELETE', PATH);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id, status: 'stopped', changed: true, results: { primary: { metric: 'converted' } } });
    const firstEnded = first.body.ended_at as number;

    const second = await admin(adminUrl, 'DELETE', PATH);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id, status: 'stopped', changed: false, ended_at: firstEnded });
    expect(second.body.results).toEqual(first.body.results);
    // and through ctl: a third stop says nothing changed and still shows the results
    const out = await ctl(['experiment', 'stop', 'fraud']);
    expect(out).toMatch(/^nothing changed: the experiment is already stopped; its results stay/);

    const read = await admin(adminUrl, 'GET', PATH);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, status: 'stopped', ended_at: firstEnded });
    expect(read.body.results).toEqual(first.body.results);
    expect(await experiments.load('fraud')).toMatchObject({ doc: { id, status: 'stopped' }, results: { experiment_id: id } });

    expect((await admin(adminUrl, 'DELETE', `${PATH}?purge=yes`)).status).toBe(400);
    const gone = await ctl(['experiment', 'delete', 'fraud']);
    expect(gone).toContain(`experiment ${id} of route fraud deleted`);
    expect((await admin(adminUrl, 'GET', PATH)).status).toBe(404);
    expect(await experiments.load('fraud')).toBeNull();
    expect((await admin(adminUrl, 'DELETE', PATH)).status).toBe(404);
  });
});
