/**
 * Streamed answers end to end: a slow server-sent-events backend streams through as it sends
 * (first chunk before the backend finished, no content-length, the deadline on the first byte
 * only), an idle gap cuts the stream, a client that goes away aborts the backend stream, a
 * slow reader pauses the backend (backpressure), the streamed log entry, shadows of streamed
 * routes, OpenAI `stream: true` with model replacement and the time-to-first-byte histogram.
 */
import type { ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStream } from './helpers/predictions.ts';
import { sleep, startBackend, type Behaviour, type TestBackend } from './helpers/backend.ts';
import { gatewayWith } from './helpers/gateway.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';

const PIECES = ['Once', ' upon', ' a', ' time', ' there', ' was'];
const event = (piece: string) => `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece } }] })}\n\n`;

interface Sse {
  behaviour: Behaviour;
  /** performance.now() of each event written, per request */
  sent: number[][];
  /** performance.now() when a response closed before it ended */
  aborted: number[];
  models: string[];
}

/** Streams `pieces` as OpenAI chunks, `gapMs` apart; then `[DONE]` unless `hang`. */
function sse(pieces: string[], gapMs: number, hang = false): Sse {
  const s: Sse = { sent: [], aborted: [], models: [], behaviour: async () => {} };
  s.behaviour = async (req, res) => {
    try {
      s.models.push(JSON.parse(req.body).model);
    } catch {
      /* not JSON */
    }
    const times: number[] = [];
    s.sent.push(times);
    res.on('close', () => {
      if (!res.writableFinished) s.aborted.push(performance.now());
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const p of pieces) {
      if (res.destroyed) return;
      res.write(event(p));
      times.push(performance.now());
      await sleep(gapMs);
    }
    if (hang) return; // never ends: the gateway's idle bound must
    res.end('data: [DONE]\n\n');
  };
  return s;
}

/** Reads a streamed answer, noting when each chunk arrived. */
async function readTimed(url: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const arrivals: number[] = [];
  let text = '';
  let error: unknown;
  try {
    for await (const c of r.body) {
      arrivals.push(performance.now());
      text += (c as Buffer).toString();
    }
  } catch (e) {
    error = e;
  }
  return { status: r.statusCode, headers: r.headers, arrivals, text, error, endedAt: performance.now() };
}

let redis: PrivateRedis;
let reader: Redis;
const slow = sse(PIECES, 150);
const same = sse(PIECES, 20);
const other = sse(['Something', ' else'], 20);
const backends: TestBackend[] = [];
let gw: Awaited<ReturnType<typeof gatewayWith>>;

const route = (backend: string, extra: Record<string, unknown> = {}) => ({ unit: { header: 'x-user-id' }, variants: [{ name: 'v1', backend, version: '1', weight: 100 }], ...extra });

beforeAll(async () => {
  redis = await startRedis();
  reader = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  const [slowB, sameB, otherB] = await Promise.all([startBackend(slow.behaviour), startBackend(same.behaviour), startBackend(other.behaviour)]);
  backends.push(slowB, sameB, otherB);
  gw = await gatewayWith({
    redis: { url: redis.url, prefix: 's' },
    admin: { enabled: false },
    log: { hmac_key: 'k', flush_ms: 10 },
    routes: {
      // a 400 ms deadline over a ~750 ms stream: it covers the first byte only
      chat: { models: ['gpt-small'], ...route(slowB.url, { variants: [{ name: 'v1', backend: slowB.url, version: '1', weight: 100, model: 'real-gpt' }], upstream: { timeout_ms: 400 } }) },
      shadowed: { models: ['gpt-shadowed'], ...route(sameB.url, { shadows: [{ name: 'same', backend: sameB.url, version: '1', percent: 100, timeout_ms: 5000 }, { name: 'other', backend: otherB.url, version: '2', percent: 100, timeout_ms: 5000 }] }) },
    },
  });
});
afterAll(async () => {
  await gw?.close();
  reader?.disconnect();
  await Promise.all(backends.map((b) => b.close()));
  await redis?.stop();
});

const metric = async (re: RegExp) => Number((await (await request(`${gw.url}/metrics`)).body.text()).match(re)?.[1] ?? NaN);

describe('streamed answers', () => {
  it('streams a slow SSE answer as it is sent, past the deadline, with model replacement', async () => {
    const r = await readTimed(`${gw.url}/v1/chat/completions`, { model: 'gpt-small', stream: true, messages: [] }, { 'x-user-id': 'u1' });
    expect(r.status).toBe(200);
    expect(r.error).toBeUndefined();
    expect(r.headers['content-length']).toBeUndefined();
    expect(r.headers['content-type']).toBe('text/event-stream');
    expect(r.headers['x-model-variant']).toBe('v1');
    expect(r.text).toBe(PIECES.map(event).join('') + 'data: [DONE]\n\n');
    expect(slow.models.at(-1)).toBe('real-gpt');
    const sent = slow.sent.at(-1)!;
    // the first chunk reached the client before the backend had sent its last event
    expect(r.arrivals[0]).toBeLessThan(sent[sent.length - 1]);
    console.log(`first chunk ${(r.arrivals[0] - sent[0]).toFixed(1)} ms after the backend sent it; stream ${(sent[sent.length - 1] - sent[0]).toFixed(0)} ms`);
    expect(r.arrivals.length).toBeGreaterThan(1);
    expect(await metric(/modelgate_request_ttfb_seconds_count\{route="chat",variant="v1"\} (\d+)/)).toBeGreaterThanOrEqual(1);

    const [e] = await until('the streamed entry', async () => {
      const es = await readStream(reader, 's:predictions:chat');
      return es.length > 0 ? es : undefined;
    });
    expect(e).toMatchObject({ status: '200', streamed: '1', bytes: String(Buffer.byteLength(r.text)), features: '[]' });
    expect(JSON.parse(e.prediction)).toEqual([PIECES.join('')]);
    expect(e.body).toBe(r.text);
    expect(Number(e.ttfb_ms)).toBeLessThan(Number(e.latency_ms));
    expect(Number(e.latency_ms)).toBeGreaterThan(400);
  });

  it('cuts a stream that goes idle longer than upstream.stream_idle_timeout_ms', async () => {
    const hang = sse(['only one'], 0, true);
    const b = await startBackend(hang.behaviour);
    const g = await gatewayWith({ admin: { enabled: false }, log: { enabled: false }, routes: { idle: { models: ['idle'], ...route(b.url, { upstream: { stream_idle_timeout_ms: 300 } }) } } });
    try {
      const r = await readTimed(`${g.url}/v1/chat/completions`, { model: 'idle', stream: true });
      expect(r.status).toBe(200);
      expect(r.text).toBe(event('only one'));
      expect(r.error).toBeDefined(); // a cut chunked stream, not a clean end
      const gap = r.endedAt - r.arrivals[0];
      expect(gap).toBeGreaterThanOrEqual(250);
      expect(gap).toBeLessThan(10_000);
      await until('the backend stream aborted', () => (hang.aborted.length > 0 ? true : undefined));
      expect(Number((await (await request(`${g.url}/metrics`)).body.text()).match(/modelgate_upstream_errors_total\{route="idle",variant="v1",reason="timeout"\} (\d+)/)?.[1])).toBe(1);
    } finally {
      await g.close();
      await b.close();
    }
  });

  it('aborts the backend stream at once when the client goes away', async () => {
    const endless = sse(Array.from({ length: 400 }, (_, i) => ` t${i}`), 25);
    const b = await startBackend(endless.behaviour);
    const g = await gatewayWith({ redis: { url: redis.url, prefix: 'gone' }, admin: { enabled: false }, log: { hmac_key: 'k', flush_ms: 10 }, routes: { gone: { models: ['gone'], ...route(b.url) } } });
    try {
      const r = await request(`${g.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ model: 'gone', stream: true }), headers: { 'content-type': 'application/json' } });
      const it = r.body[Symbol.asyncIterator]();
      await it.next();
      const goneAt = performance.now();
      r.body.destroy();
      await until('the backend stream aborted', () => (endless.aborted.length > 0 ? true : undefined), 10_000);
      const lag = endless.aborted[0] - goneAt;
      console.log(`backend stream aborted ${lag.toFixed(1)} ms after the client went away`);
      expect(endless.sent[0].length).toBeLessThan(400);
      const [e] = await until('the entry', async () => {
        const es = await readStream(reader, 'gone:predictions:gone');
        return es.length > 0 ? es : undefined;
      });
      expect(e).toMatchObject({ status: '499', error: 'CLIENT_CLOSED_REQUEST', streamed: '1' });
    } finally {
      await g.close();
      await b.close();
    }
  });

  it('pauses the backend while the client does not read (backpressure)', async () => {
    let written = 0;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const b = await startBackend((_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.on('close', () => (closed = true));
      const pump = () => {
        while (!closed && written < 256 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const g = await gatewayWith({ admin: { enabled: false }, log: { enabled: false }, routes: { bp: { models: ['bp'], ...route(b.url) } } });
    try {
      const r = await request(`${g.url}/v1/models/bp:predict`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-length']).toBeUndefined();
      // nothing is read: the backend must stall at socket-buffer sizes, far below 256 MiB
      let last = -1;
      await until('the backend to stall', async () => {
        const now = written;
        const stalled = now === last;
        last = now;
        await sleep(200);
        return stalled && written === now ? true : undefined;
      }, 15_000);
      console.log(`backend stalled after ${(written / 1024 / 1024).toFixed(1)} MiB`);
      expect(written).toBeLessThan(64 * 1024 * 1024);
      r.body.destroy();
      await until('the backend stream closed', () => (closed ? true : undefined));
    } finally {
      await g.close();
      await b.close();
    }
  });

  it('shadows of a streamed route consume their stream and compare the concatenated text', async () => {
    const r = await readTimed(`${gw.url}/v1/chat/completions`, { model: 'gpt-shadowed', stream: true }, { 'x-user-id': 'u2' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('time');
    const compared = async () => [
      await metric(/modelgate_shadow_comparisons_total\{route="shadowed",shadow="same",result="agree"\} (\d+)/),
      await metric(/modelgate_shadow_comparisons_total\{route="shadowed",shadow="other",result="disagree"\} (\d+)/),
    ];
    await until('both comparisons', async () => ((await compared()).every((n) => n >= 1) ? true : undefined));
    expect(await compared()).toEqual([1, 1]);
    expect(await metric(/modelgate_shadow_requests_total\{route="shadowed",shadow="other",outcome="ok"\} (\d+)/)).toBe(1);
    const es = await until('live and shadow entries', async () => {
      const x = await readStream(reader, 's:predictions:shadowed');
      return x.length >= 3 ? x : undefined;
    });
    expect(es.find((x) => x.variant === 'other')!.prediction).toBe(JSON.stringify(['Something else']));
    expect(es.find((x) => x.role === 'live')!.prediction).toBe(JSON.stringify([PIECES.join('')]));
  });
});
