import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backOff, MAX_BACKOFF_MS, recovered, StreamLanes } from './stream-lanes.ts';

interface E {
  key: string;
  seq: number;
  bytes: number;
}

function make(maxEntries: number, maxBytes: number) {
  const dropped: number[] = [];
  const lanes = new StreamLanes<E>(maxEntries, maxBytes, (x) => dropped.push(x.seq));
  let seq = 0;
  const push = (key: string, bytes = 10) => lanes.push({ key, seq: seq++, bytes });
  const lane = (key: string) => [...lanes.all()].find((l) => l.key === key)!;
  return { lanes, dropped, push, lane };
}

describe('StreamLanes', () => {
  it('keeps one lane per stream, each taken on its own', () => {
    const { lanes, push, lane } = make(100, 10_000);
    push('a');
    push('b');
    push('a');
    expect([...lanes.all()].map((l) => l.key)).toEqual(['a', 'b']);
    // a's batch in flight does not stop b's
    expect(lane('a').buffer.take(10).map((x) => x.seq)).toEqual([0, 2]);
    expect(lane('b').buffer.take(10).map((x) => x.seq)).toEqual([1]);
    expect(lanes.entries).toBe(3);
    expect(lanes.queued).toBe(0);
  });

  it('drops the oldest entry of any lane at a bound, dooming it when in flight', () => {
    const { lanes, dropped, push, lane } = make(3, 10_000);
    push('a'); // 0
    push('b'); // 1
    push('b'); // 2
    lane('a').buffer.take(10); // 0 in flight
    push('b'); // 3: 0 is the oldest, in flight: doomed
    expect(lanes.entries).toBe(3);
    expect(dropped).toEqual([]);
    push('a'); // 4: now 1 (b) is the oldest
    expect(dropped).toEqual([1]);
    lane('a').buffer.settle([]); // the doomed entry's write succeeded: written, not dropped
    expect(dropped).toEqual([1]);
    expect(lanes.entries).toBe(3);
    // the doomed entry failed its write: it is dropped, not put back
    const { lanes: l2, dropped: d2, push: p2, lane: ln2 } = make(2, 10_000);
    p2('a');
    p2('b');
    const batch = ln2('a').buffer.take(10);
    p2('b'); // dooms a's 0
    ln2('a').buffer.settle(batch);
    expect(d2).toEqual([0]);
    expect(l2.entries).toBe(2);
  });

  it('bounds bytes across lanes and refuses an entry over the byte bound alone', () => {
    const { lanes, dropped, push } = make(100, 100);
    push('a', 40);
    push('b', 40);
    push('c', 40); // drops a's
    expect(dropped).toEqual([0]);
    expect(lanes.bytes).toBe(80);
    push('a', 101);
    expect(dropped).toEqual([0, 1, 2, 3]);
    expect(lanes.entries).toBe(0);
  });

  it('lists the lanes ready to write: entries queued, none in flight, no backoff pending', () => {
    const { lanes, push, lane } = make(100, 10_000);
    push('a');
    push('b');
    push('c');
    lane('a').buffer.take(10);
    lane('a').flight = Promise.resolve();
    backOff(lane('b'), 'boom', 20, 1000);
    expect([...lanes.ready(1000)].map((l) => l.key)).toEqual(['c']);
    expect([...lanes.ready(1020)].map((l) => l.key)).toEqual(['b', 'c']);
    expect(lanes.flights()).toHaveLength(1);
  });

  it('backs a failing lane off from the minimum, doubling up to the cap; a success clears it', () => {
    const { push, lane } = make(100, 10_000);
    push('a');
    const l = lane('a');
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      backOff(l, 'boom', 20, 0);
      waits.push(l.retryAt);
    }
    expect(waits).toEqual([20, 40, 80, 160, 320, 640, MAX_BACKOFF_MS, MAX_BACKOFF_MS]);
    expect(l.failure).toBe('boom');
    recovered(l);
    expect(l).toMatchObject({ failure: undefined, backoffMs: 0, retryAt: 0 });
    backOff(l, 'again', 20, 5);
    expect(l.retryAt).toBe(25);
  });

  it('forgets idle empty lanes, keeps those with a failure pending', () => {
    const { lanes, push, lane } = make(10, 10_000);
    push('a');
    push('b');
    for (const k of ['a', 'b']) {
      const l = lane(k);
      l.buffer.settle((l.buffer.take(10), []));
    }
    lane('b').failure = 'boom';
    lanes.prune();
    expect([...lanes.all()].map((l) => l.key)).toEqual(['b']);
  });
});

type Op = { op: 'push'; key: number; bytes: number } | { op: 'take'; key: number; n: number } | { op: 'settle'; key: number; writtenUpTo: number };

describe('StreamLanes order and drop rules (property)', () => {
  const ops = fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ op: fc.constant('push' as const), key: fc.integer({ min: 0, max: 2 }), bytes: fc.integer({ min: 1, max: 40 }) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('take' as const), key: fc.integer({ min: 0, max: 2 }), n: fc.integer({ min: 1, max: 6 }) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('settle' as const), key: fc.integer({ min: 0, max: 2 }), writtenUpTo: fc.integer({ min: 0, max: 6 }) }) },
    ),
    { maxLength: 200 },
  );

  it('per stream writes a subsequence of the pushed order; drops the oldest of all; counts every entry once; stays in bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 40, max: 200 }), ops, (maxEntries, maxBytes, script: Op[]) => {
        const log: Array<{ kind: 'drop' | 'take'; ids: number[] }> = [];
        const dropped: number[] = [];
        const lanes = new StreamLanes<E>(maxEntries, maxBytes, (x) => {
          dropped.push(x.seq);
          log.push({ kind: 'drop', ids: [x.seq] });
        });
        const keyOf = new Map<number, string>();
        const written: number[] = [];
        const batches = new Map<string, E[]>();
        let pushed = 0;
        const laneOf = (key: string) => [...lanes.all()].find((l) => l.key === key);
        const settle = (key: string, upTo: number) => {
          const batch = batches.get(key);
          if (!batch) return;
          written.push(...batch.slice(0, upTo).map((x) => x.seq));
          laneOf(key)!.buffer.settle(batch.slice(upTo));
          batches.delete(key);
        };
        const take = (key: string, n: number) => {
          const l = laneOf(key);
          if (!l || batches.has(key)) return;
          const batch = l.buffer.take(n);
          batches.set(key, batch);
          log.push({ kind: 'take', ids: batch.map((x) => x.seq) });
        };
        for (const o of script) {
          const key = `k${o.key}`;
          if (o.op === 'push') {
            keyOf.set(pushed, key);
            lanes.push({ key, seq: pushed++, bytes: o.bytes });
          } else if (o.op === 'take') take(key, o.n);
          else settle(key, o.writtenUpTo);
          expect(lanes.entries).toBeLessThanOrEqual(maxEntries);
          expect(lanes.bytes).toBeLessThanOrEqual(maxBytes);
          if (batches.size === 0) lanes.prune();
        }
        // then Redis comes back: everything left is written
        for (const key of [...batches.keys()]) settle(key, Infinity);
        while (lanes.queued > 0)
          for (const l of [...lanes.all()]) {
            take(l.key, 4);
            settle(l.key, Infinity);
          }
        expect(lanes.entries).toBe(0);
        expect(lanes.bytes).toBe(0);
        expect([...written, ...dropped].sort((x, y) => x - y)).toEqual(Array.from({ length: pushed }, (_, i) => i));
        // each stream's entries are written in their pushed order
        for (const key of ['k0', 'k1', 'k2']) {
          const mine = written.filter((s) => keyOf.get(s) === key);
          for (let i = 1; i < mine.length; i++) expect(mine[i]).toBeGreaterThan(mine[i - 1]);
        }
        // the oldest of all goes first: once an entry is dropped, no older entry of any stream is sent
        let newestDropped = -1;
        for (const ev of log) {
          if (ev.kind === 'drop') newestDropped = Math.max(newestDropped, ev.ids[0]);
          else for (const id of ev.ids) expect(id).toBeGreaterThan(newestDropped);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
