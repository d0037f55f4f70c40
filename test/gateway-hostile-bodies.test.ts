/**
 * Hostile bodies with the prediction log on, against a real gateway PROCESS (a crash is an
 * exit, observable), a private redis-server and real backends (issue 11, defects 1, 2, 11):
 * 10,000-deep requests are refused before parsing, deep backend answers (live and shadow) are
 * logged without a throw, a 250,000-value instance costs bounded CPU, and after the whole
 * corpus the process still serves and the log accounting is exact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStream } from './helpers/predictions.ts';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { predict } from './helpers/http.ts';
import { freePort } from './helpers/ports.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';

const KEY = 'hb:predictions:fraud';
const deepArray = (n: number, inner = '1') => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
const deepAnswer = `{"predictions":${deepArray(10_000, '0.5')}}`;

let redis: PrivateRedis;
let reader: Redis;
let live: TestBackend;
let shadow: TestBackend;
let proc: ChildProcess;
let url: string;
let exited: number | null | undefined;
let stderr = '';

/** live: deep answer when asked (`"answer": "deep"`), else a normal one; the shadow always answers deep */
beforeAll(async () => {
  redis = await startRedis();
  reader = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  reader.on('error', () => {});
  const normal = modelBehaviour('live', 0.25);
  live = await startBackend((req, res) => {
    if (req.body.includes('"answer":"deep"')) {
      res.setHeader('content-type', 'application/json');
      res.end(deepAnswer);
    } else {
      // a body that is valid JSON but no object (null, [], a string) still gets an answer
      const fallback = () => {
        res.setHeader('content-type', 'application/json');
        res.end('{"predictions":[]}');
      };
      try {
        Promise.resolve(normal(req, res)).catch(fallback);
      } catch {
        fallback();
      }
    }
  });
  shadow = await startBackend((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(deepAnswer);
  });
  const port = await freePort();
  const file = join(mkdtempSync(join(tmpdir(), 'mg-hostile-')), 'gw.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      listen: { host: '127.0.0.1', port },
      admin: { enabled: false },
      redis: { url: redis.url, prefix: 'hb' },
      log: { hmac_key: 'k', flush_ms: 10 },
      routes: { fraud: { models: ['fraud'], variants: [{ name: 'v1', backend: live.url, version: '1', weight: 100 }], shadows: [{ name: 's1', backend: shadow.url, percent: 100 }] } },
    }),
  );
  proc = spawn(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  proc.on('exit', (code) => (exited = code));
  url = `http://127.0.0.1:${port}`;
  await until('the gateway process to serve', async () => {
    if (exited !== undefined) throw new Error(`gateway exited ${exited}: ${stderr}`);
    return fetch(`${url}/healthz`).then((r) => (r.ok ? true : undefined), () => undefined);
  }, 60_000, 100);
}, 90_000);

afterAll(async () => {
  if (proc && exited === undefined) {
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await gone;
  }
  reader?.disconnect();
  await Promise.all([live?.close(), shadow?.close()]);
  await redis?.stop();
});

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}
const logged = async () => (await metric('modelgate_log_entries_total', 'route="fraud",outcome="written"')) + (await metric('modelgate_log_entries_total', 'route="fraud",outcome="dropped"'));

/** CPU time (user + system) the gateway process has used, ms (/proc, clock ticks of 10 ms) */
function cpuMs(): number {
  const stat = readFileSync(`/proc/${proc.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

describe('hostile bodies with the prediction log on (gateway process)', () => {
  let forwarded = 0;
  const send = async (body: string | object) => {
    const r = await predict(url, body);
    if (r.status === 200) forwarded++;
    return r;
  };

  it('refuses JSON nested deeper than limits.max_json_depth (64) before parsing: 400 INVALID_JSON naming the limit, backend not called', async () => {
    const seen = live.seen.length;
    for (const body of [
      `{"instances":${deepArray(10_000)}}`, // the crash
      deepArray(100_000), // deeper still, bare
      `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, // objects
      `{"instances":${'['.repeat(10_000)}`, // deep and not even closed
      `{"instances":${deepArray(64)}}`, // 65 levels with the outer object
      `{"instances":${deepArray(100)}}`, // deep but valid (defect 11): was forwarded
    ]) {
      const r = await send(body);
      expect(r.status, body.slice(0, 40)).toBe(400);
      expect(r.json.error.code).toBe('INVALID_JSON');
      expect(r.json.error.message).toMatch(/limits\.max_json_depth \(64\)/);
    }
    expect(live.seen.length).toBe(seen);
    // 64 levels is allowed; brackets inside strings do not count
    expect((await send(`{"instances":${deepArray(63)}}`)).status).toBe(200);
    expect((await send({ instances: [['['.repeat(10_000), '{'.repeat(10_000)]] })).status).toBe(200);
    expect(exited).toBeUndefined();
  });

  it('logs deep backend answers (live and shadow) without a throw: prediction [] marked prediction:depth', async () => {
    const r = await send({ instances: [[1, 2]], answer: 'deep' });
    expect(r.status).toBe(200); // the answer itself is the backend's, passed through
    expect(r.body.length).toBe(deepAnswer.length);
    const rid = String(r.headers['x-request-id']);
    const entries = await until('the live and shadow entries of the deep answer', async () => {
      const es = (await readStream(reader, KEY)).filter((e) => e.rid === rid);
      return es.length === 2 ? es : undefined;
    });
    for (const e of entries) {
      expect(e.prediction).toBe('[]');
      expect(e.truncated).toBe('prediction:depth');
      expect(e.features).toBe('[{"f0":1,"f1":2}]');
    }
    expect(entries.map((e) => e.role).sort()).toEqual(['live', 'shadow']);
    await until('the shadow comparison to be counted', async () => ((await metric('modelgate_shadow_comparisons_total', 'route="fraud",shadow="s1",result="incomparable"')) >= 1 ? true : undefined));
    expect(await metric('modelgate_log_truncated_total', 'route="fraud",reason="depth"')).toBeGreaterThanOrEqual(2);
    expect(exited).toBeUndefined();
  });

  it('a 250,000-value instance costs bounded CPU with logging on; its entry is cut to log.max_features (256) and marked', async () => {
    const wide = JSON.stringify({ instances: [Array(250_000).fill(1)] }); // 500 KB, under the 1 MiB body limit
    const before = await logged();
    const cpu0 = cpuMs();
    const lag0 = await metric('nodejs_eventloop_lag_max_seconds', ''); // scraping resets the window
    const n = 5;
    const rids: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await send(wide);
      expect(r.status).toBe(200);
      rids.push(String(r.headers['x-request-id']));
    }
    await until('the wide entries to be logged', async () => ((await logged()) >= before + 2 * n ? true : undefined));
    const cpuPerRequest = (cpuMs() - cpu0) / n;
    const lag = await metric('nodejs_eventloop_lag_max_seconds', '');
    console.log(`250,000-value instance: ${cpuPerRequest.toFixed(0)} ms CPU per request (logging on), event-loop lag max ${(lag * 1000).toFixed(0)} ms (before ${(lag0 * 1000).toFixed(0)} ms)`);
    // measured ~800 ms of main-thread time per request before the bound; a loose bound for a loaded machine
    expect(cpuPerRequest).toBeLessThan(250);
    const e = (await readStream(reader, KEY)).find((x) => x.rid === rids[0] && x.role === 'live')!;
    expect(e.truncated).toBe('features:256/250000');
    expect(Object.keys(JSON.parse(e.features)[0])).toHaveLength(256);
    expect(Buffer.byteLength(e.features) + Buffer.byteLength(e.prediction)).toBeLessThan(65_536);
    expect(exited).toBeUndefined();
  }, 60_000);

  it('other nasty bodies: the process survives them all and still serves', async () => {
    for (const body of [
      '{"instances":[["\\ud800"]]}', // lone surrogate
      `{"instances":[["${'x'.repeat(400_000)}"]]}`, // one huge string feature
      '{"instances":[[1e400, -0, 1e-400]]}',
      `{"instances":[${Array(50_000).fill('[1]').join(',')}]}`, // many instances
      `{"instances":{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',')}}}`, // a wide object instance
      '{"inputs":[{"name":"x","shape":[1,1000000000],"data":[1,2,3]}]}',
      '{"inputs":[{"name":"x","shape":[1,250000],"datatype":"FP32","data":' + JSON.stringify(Array(250_000).fill(1)) + '}]}',
      'null',
      '[]',
      '"instances"',
      '{"instances":[[1]],"__proto__":{"x":1}}',
    ]) {
      const r = await send(body);
      expect([200, 400], body.slice(0, 40)).toContain(r.status);
    }
    expect(exited).toBeUndefined();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await send({ instances: [[1, 2]] })).status).toBe(200);
  }, 60_000);

  it('accounting stays exact: every forwarded request gives a live and a shadow entry, written or dropped with a reason', async () => {
    const expected = 2 * forwarded;
    await until('every entry to be accounted', async () => ((await logged()) === expected ? true : undefined), 30_000, 50, () => ({ expected }));
    expect(await metric('modelgate_log_entries_total', 'route="fraud",outcome="dropped"')).toBe(0);
    expect(await metric('modelgate_log_dropped_total', 'route="fraud",reason="entry_error"')).toBe(0);
    expect((await readStream(reader, KEY)).length).toBe(expected);
    expect(exited).toBeUndefined();
  });
});
