/**
 * The prediction log sink against a real private redis-server: entry fields, Redis absent at
 * start, Redis killed and frozen under a steady stream of events, and the accounting identity.
 */
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { createLogSink } from '../src/predictions/create-sink.ts';
import type { LogSink, PredictionEvent } from '../src/predictions/record.ts';
import { gaugeValue, logCounts, readStream, tailStream, testEvent, testRoute, waitFor } from './helpers/predictions.ts';
import { unitEncoder } from '../src/predictions/unit-hash.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';

const route = testRoute('fraud', { features: ['amount', 'risk'] });
const KEY = 'lt:predictions:fraud';

let redis: PrivateRedis;
let reader: Redis;
let sink: LogSink | undefined;

function makeSink(log: Record<string, unknown> = {}) {
  const registry = new Registry();
  const cfg = parseConfig(
    {
      redis: { url: redis.url, prefix: 'lt' },
      log: { hmac_key: 'test-key', flush_ms: 10, batch_entries: 100, ...log },
      routes: { fraud: { models: ['fraud'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:9001', weight: 100 }] } },
    },
    'test',
    {},
  );
  sink = createLogSink(cfg, { logger: silentLogger(), registry });
  return { sink, registry };
}

const settled = (c: Record<'written' | 'dropped' | 'sampled_out', number>) => c.written + c.dropped + c.sampled_out;

/** Pushes one event every `everyMs` with rid = its sequence number, like a steady load. */
function steady(s: LogSink, everyMs: number, perTick = 1) {
  let seq = 0;
  let maxPushMs = 0;
  let slowPushes = 0;
  const t = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      const ev: PredictionEvent = testEvent(route, { rid: String(seq++), request: { instances: [[seq, 1]] } });
      const t0 = performance.now();
      s.push(ev);
      const ms = performance.now() - t0;
      maxPushMs = Math.max(maxPushMs, ms);
      if (ms >= 5) slowPushes++;
    }
  }, everyMs);
  return {
    get count() {
      return seq;
    },
    get maxPushMs() {
      return maxPushMs;
    },
    /** pushes that took 5 ms or more */
    get slowPushes() {
      return slowPushes;
    },
    stop: () => clearInterval(t),
  };
}

const seqs = (entries: Record<string, string>[]) => entries.map((e) => Number(e.rid));
const isRange = (xs: number[], from: number, to: number) => xs.length === to - from && xs.every((x, i) => x === from + i);

beforeAll(async () => {
  redis = await startRedis();
  reader = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  reader.on('error', () => {});
});
afterEach(async () => {
  await sink?.close();
  sink = undefined;
  await reader.flushall().catch(() => {});
});
afterAll(async () => {
  reader.disconnect();
  await redis.stop();
});

describe('stream sink with a real redis', () => {
  it('writes live and shadow entries with every field, joined by rid, counted as written', async () => {
    const { sink, registry } = makeSink();
    sink.push(testEvent(route, { rid: 'a1' }));
    sink.push(testEvent(route, { rid: 'a1', role: 'shadow', variant: 'v3', version: '3.0', latencyMs: 2.5, response: Buffer.from('{"predictions":[0.5]}') }));
    sink.push(
      testEvent(route, {
        rid: 'b2',
        protocol: 'v2',
        unit: null,
        bucket: -1,
        assign: 'random',
        request: { inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 4] }] },
        response: Buffer.from(JSON.stringify({ outputs: [{ name: 'score', shape: [2, 1], data: [0.1, 0.2] }] })),
      }),
    );
    sink.sampledOut('fraud');
    await waitFor(async () => (await reader.xlen(KEY)) === 3, 5000, '3 entries');
    const [live, shadow, v2] = await readStream(reader, KEY);
    expect(live).toMatchObject({ v: '1', rid: 'a1', role: 'live', variant: 'v1', version: '1.4.2', route: 'fraud', assign: 'hash', bucket: '1234', status: '200', cfg: '7' });
    expect(live.unit).toBe(unitEncoder('hmac', 'test-key').encode('user-42'));
    expect(live.features).toBe('[{"amount":0.3,"risk":12}]');
    expect(shadow).toMatchObject({ rid: 'a1', role: 'shadow', variant: 'v3', version: '3.0', latency_ms: '2.500', prediction: '[0.5]' });
    expect(v2).toMatchObject({ rid: 'b2', unit: '', bucket: '', assign: 'random', features: '[{"x_0":1,"x_1":2},{"x_0":3,"x_1":4}]', prediction: '[0.1,0.2]' });
    expect(await logCounts(registry, 'fraud')).toEqual({ written: 3, dropped: 0, sampled_out: 1 });
    expect(sink.status().state).toBe('ok');
    expect(await gaugeValue(registry, 'modelgate_log_healthy')).toBe(1);
    // MAXLEN ~ is sent: the stream is trimmed near the configured length
    const info = (await reader.call('XINFO', 'STREAM', KEY)) as unknown[];
    expect(info[info.indexOf('length') + 1]).toBe(3);
  });

  it('exports every outcome at zero for configured routes from the start', async () => {
    const { registry } = makeSink();
    expect(await logCounts(registry, 'fraud')).toEqual({ written: 0, dropped: 0, sampled_out: 0 });
    const text = await registry.metrics();
    expect(text).toContain('modelgate_log_entries_total{route="fraud",outcome="sampled_out"} 0');
    expect(text).toContain('modelgate_log_buffer_entries 0');
    expect(text).toContain('modelgate_log_buffer_bytes 0');
  });

  it('trims with MAXLEN ~ N', async () => {
    const { sink } = makeSink({ maxlen: 100 });
    for (let i = 0; i < 2000; i++) sink.push(testEvent(route, { rid: String(i) }));
    await waitFor(() => sink.status().buffered === 0, 5000, 'drain');
    const len = await reader.xlen(KEY);
    expect(len).toBeGreaterThanOrEqual(100);
    expect(len).toBeLessThan(400);
  });

  it('a stream that cannot be written holds back only its own entries; the others are written at once, in order', async () => {
    const { sink, registry } = makeSink({ batch_entries: 50 });
    const broken = testRoute('broken');
    await reader.set('lt:predictions:broken', 'not a stream'); // every XADD to it fails: WRONGTYPE
    // the broken stream's entries come first: sharing one batch in flight, they would fill every batch
    for (let i = 0; i < 500; i++) sink.push(testEvent(broken, { rid: `b${i}` }));
    for (let i = 0; i < 500; i++) sink.push(testEvent(route, { rid: String(i) }));
    await waitFor(async () => (await reader.xlen(KEY)) === 500, 5000, "the healthy stream's 500 entries");
    expect(isRange(seqs(await readStream(reader, KEY)), 0, 500)).toBe(true);
    expect(await logCounts(registry, 'fraud')).toEqual({ written: 500, dropped: 0, sampled_out: 0 });
    // the broken stream's entries stay buffered, retried with backoff, and the log says where it fails
    const st = sink.status();
    expect(st).toMatchObject({ state: 'degraded', buffered: 500 });
    expect(st.detail).toMatch(/WRONGTYPE.*lt:predictions:broken/);
    expect(await logCounts(registry, 'broken')).toEqual({ written: 0, dropped: 0, sampled_out: 0 });
    // once the stream can be written, they land too, in order
    await reader.del('lt:predictions:broken');
    await waitFor(async () => (await reader.xlen('lt:predictions:broken')) === 500, 5000, "the broken stream's entries");
    expect((await readStream(reader, 'lt:predictions:broken')).map((e) => e.rid)).toEqual(Array.from({ length: 500 }, (_, i) => `b${i}`));
    await waitFor(() => sink.status().state === 'ok', 5000, 'healthy again');
  });

  it('Redis absent at start: serves, buffers, reports degraded, then drains in order', async () => {
    await redis.kill();
    const { sink, registry } = makeSink({ buffer_entries: 10_000 });
    for (let i = 0; i < 500; i++) sink.push(testEvent(route, { rid: String(i) }));
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.status()).toMatchObject({ state: 'degraded', buffered: 500 });
    expect(await gaugeValue(registry, 'modelgate_log_healthy')).toBe(0);
    expect(await gaugeValue(registry, 'modelgate_log_buffer_entries')).toBe(500);
    await redis.restart();
    await waitFor(() => sink.status().buffered === 0 && sink.status().state === 'ok', 10_000, 'drain after start');
    expect(isRange(seqs(await readStream(reader, KEY)), 0, 500)).toBe(true);
    expect(await logCounts(registry, 'fraud')).toMatchObject({ written: 500, dropped: 0 });
  });

  it('Redis killed under steady load: no push slows, buffered entries arrive exactly once in order, drops counted exactly', async () => {
    const { sink, registry } = makeSink({ buffer_entries: 1000, batch_entries: 50 });
    const tail = tailStream(redis.url, KEY);
    const load = steady(sink, 2, 2); // ~1000 events/s (fewer on a busy machine: wait on counts, not time)
    await waitFor(async () => (await logCounts(registry, 'fraud')).written >= 500, 20_000, 'entries written before the kill');
    await redis.kill();
    await tail.stop();
    // down until the buffer is full and more than 500 were dropped (~1.5 s at the nominal rate)
    let maxBuffered = 0;
    await waitFor(async () => {
      maxBuffered = Math.max(maxBuffered, sink.status().buffered);
      return sink.status().state === 'degraded' && (await logCounts(registry, 'fraud')).dropped > 500;
    }, 30_000, 'the buffer to overflow while Redis is down');
    expect(maxBuffered).toBeLessThanOrEqual(1000 + 100);
    await redis.restart();
    // load goes on until the backlog is written to the new Redis
    await waitFor(() => sink.status().state === 'ok' && sink.status().buffered < 100, 20_000, 'the backlog to drain into the new Redis');
    load.stop();
    const total = load.count;
    // every entry acknowledged or dropped (buffered === 0 is not enough: a batch may be in flight)
    await waitFor(async () => settled(await logCounts(registry, 'fraud')) === total, 10_000, 'drain');
    const before = seqs(tail.seen);
    const after = seqs(await readStream(reader, KEY));
    const counts = await logCounts(registry, 'fraud');
    const diag = JSON.stringify({ total, before: [before[0], before.at(-1), before.length], after: [after[0], after.at(-1), after.length], counts });
    // The killed Redis held a prefix [0, a); the new one holds a suffix [p, total): each entry
    // once, in order. The sink acknowledged W - |after| entries to the old Redis; a tail reader
    // saw the same, give or take the batch in flight when the connection died.
    expect(isRange(before, 0, before.length), diag).toBe(true);
    expect(isRange(after, total - after.length, total), diag).toBe(true);
    const ackedByOld = counts.written - after.length;
    expect(Math.abs(ackedByOld - before.length), diag).toBeLessThanOrEqual(50);
    // exactly the entries between the two were dropped, and counted
    expect(counts.dropped, diag).toBe(after[0] - ackedByOld);
    expect(counts.dropped).toBeGreaterThan(500);
    expect(after.length).toBeGreaterThanOrEqual(1000); // the buffer was full when Redis came back
    expect(counts.written + counts.dropped + counts.sampled_out).toBe(total);
    expect(load.slowPushes, `max push ${load.maxPushMs.toFixed(1)} ms`).toBeLessThanOrEqual(Math.ceil(total / 1000));
  });

  it('Redis frozen (SIGSTOP) under load: pushes stay fast, the buffer bound holds, then every kept entry lands once', async () => {
    const { sink, registry } = makeSink({ buffer_entries: 2000, batch_entries: 100 });
    const load = steady(sink, 2, 4); // ~2000 events/s
    await new Promise((r) => setTimeout(r, 1000));
    redis.pause();
    let maxBuffered = 0;
    let maxBytes = 0;
    const heap0 = process.memoryUsage().heapUsed;
    let heapMax = heap0;
    const watch = setInterval(async () => {
      maxBuffered = Math.max(maxBuffered, sink.status().buffered);
      maxBytes = Math.max(maxBytes, await gaugeValue(registry, 'modelgate_log_buffer_bytes'));
      heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
    }, 50);
    // frozen until more than 1000 were dropped (~1.5 s at the nominal rate), and at least 2 s
    const frozenAt = Date.now();
    await waitFor(async () => Date.now() - frozenAt >= 2000 && (await logCounts(registry, 'fraud')).dropped > 1000, 30_000, 'the buffer to overflow while Redis is frozen');
    const frozen = sink.status();
    redis.resume();
    clearInterval(watch);
    await waitFor(() => sink.status().state === 'ok', 20_000, 'Redis to be written again');
    load.stop();
    const total = load.count;
    // every entry acknowledged or dropped (buffered === 0 is not enough: a batch may be in flight)
    await waitFor(async () => settled(await logCounts(registry, 'fraud')) === total, 10_000, 'drain');
    expect(frozen.state).toBe('degraded');
    expect(frozen.detail).toMatch(/write pending/);
    // bound: the buffer plus at most one tick of pending events
    expect(maxBuffered).toBeLessThanOrEqual(2000 + 100);
    expect(maxBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(heapMax - heap0).toBeLessThan(40 * 1024 * 1024);
    const all = seqs(await readStream(reader, KEY));
    const counts = await logCounts(registry, 'fraud');
    expect(new Set(all).size).toBe(all.length); // no duplicates: the connection never broke
    expect(all.every((x, i) => i === 0 || x > all[i - 1])).toBe(true); // in order
    expect(counts.written).toBe(all.length);
    expect(counts.dropped).toBe(total - all.length);
    expect(counts.dropped).toBeGreaterThan(1000);
    expect(load.slowPushes, `max push ${load.maxPushMs.toFixed(1)} ms`).toBeLessThanOrEqual(Math.ceil(total / 1000));
  });

  it('close() writes what is buffered and counts what it cannot as dropped', async () => {
    const { sink, registry } = makeSink();
    for (let i = 0; i < 300; i++) sink.push(testEvent(route, { rid: String(i) }));
    // with Redis up it returns once the last batch is written, not at its 2 s deadline
    const t0 = Date.now();
    await sink.close();
    expect(Date.now() - t0).toBeLessThan(1500);
    sink.push(testEvent(route, { rid: 'late' }));
    expect(await reader.xlen(KEY)).toBe(300);
    expect(await logCounts(registry, 'fraud')).toMatchObject({ written: 300, dropped: 1 });
  });
});
