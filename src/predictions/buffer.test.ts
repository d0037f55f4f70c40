import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedBuffer } from './buffer.ts';
import { Ring } from './ring.ts';

interface E {
  id: number;
  bytes: number;
}
const e = (id: number, bytes = 10): E => ({ id, bytes });

function make(maxEntries: number, maxBytes: number) {
  const dropped: number[] = [];
  const b = new BoundedBuffer<E>(maxEntries, maxBytes, (x) => dropped.push(x.id));
  return { b, dropped };
}

describe('BoundedBuffer.take by size', () => {
  it('stops before the entry that would pass maxBytes, always taking the first', () => {
    const { b } = make(100, 10_000);
    for (const [id, bytes] of [[1, 40], [2, 40], [3, 40], [4, 500], [5, 10]]) b.push(e(id, bytes));
    expect(b.take(10, 100).map((x) => x.id)).toEqual([1, 2]);
    b.settle([]);
    expect(b.take(10, 100).map((x) => x.id)).toEqual([3]);
    b.settle([]);
    expect(b.take(10, 100).map((x) => x.id)).toEqual([4]); // alone over the bound: it goes anyway
    b.settle([]);
    expect(b.take(10, 100).map((x) => x.id)).toEqual([5]);
  });
});

describe('Ring', () => {
  it('pushes and pops at both ends across growth, in order', () => {
    const r = new Ring<number>(16);
    for (let i = 0; i < 100; i++) r.pushBack(i);
    for (let i = 0; i < 50; i++) expect(r.popFront()).toBe(i);
    for (let i = 49; i >= 0; i--) r.pushFront(i);
    for (let i = 100; i < 140; i++) r.pushBack(i);
    expect(r.length).toBe(140);
    expect(r.at(0)).toBe(0);
    const out: number[] = [];
    for (let x = r.popFront(); x !== undefined; x = r.popFront()) out.push(x);
    expect(out).toEqual(Array.from({ length: 140 }, (_, i) => i));
    expect(r.at(0)).toBeUndefined();
  });
});

describe('BoundedBuffer', () => {
  it('drops the oldest entries when the entry bound is hit', () => {
    const { b, dropped } = make(3, 1e9);
    for (let i = 0; i < 5; i++) b.push(e(i));
    expect(dropped).toEqual([0, 1]);
    expect(b.take(10).map((x) => x.id)).toEqual([2, 3, 4]);
  });

  it('drops the oldest entries when the byte bound is hit', () => {
    const { b, dropped } = make(100, 100);
    for (let i = 0; i < 5; i++) b.push(e(i, 30));
    expect(dropped).toEqual([0, 1]);
    expect(b.bytes).toBe(90);
    b.push(e(9, 100));
    expect(dropped).toEqual([0, 1, 2, 3, 4]);
    expect(b.entries).toBe(1);
    b.push(e(10, 101));
    expect(dropped.at(-1)).toBe(10);
  });

  it('a drop that falls on the batch in flight dooms it: written if the write worked, dropped if not, never put back', () => {
    const { b, dropped } = make(4, 1e9);
    for (let i = 0; i < 4; i++) b.push(e(i));
    const batch = b.take(2);
    expect(batch.map((x) => x.id)).toEqual([0, 1]);
    expect(() => b.take(1)).toThrow();
    b.push(e(4)); // dooms 0
    b.push(e(5)); // dooms 1
    expect(dropped).toEqual([]);
    expect(b.held().map((x) => x.id)).toEqual([2, 3, 4, 5]);
    b.push(e(6)); // the flight is all doomed: the oldest queued goes
    expect(dropped).toEqual([2]);
    b.settle(batch);
    expect(dropped).toEqual([2, 0, 1]);
    expect(b.entries).toBe(4);
    expect(b.bytes).toBe(40);
    expect(b.take(10).map((x) => x.id)).toEqual([3, 4, 5, 6]);
  });

  it('the issue 11 case: a failed batch never goes back in front of a queue whose older entries were dropped', () => {
    const { b, dropped } = make(5, 1e9);
    for (let i = 1; i <= 5; i++) b.push(e(i));
    const batch = b.take(2); // [1, 2] in flight
    b.push(e(6)); // full: the oldest held is 1 (in flight)
    b.settle(batch); // the write failed
    expect(dropped).toEqual([1]);
    expect(b.take(10).map((x) => x.id)).toEqual([2, 3, 4, 5, 6]);
  });

  it('with only in-flight entries held, the oldest of them is doomed for the new entry', () => {
    const { b, dropped } = make(2, 1e9);
    b.push(e(0));
    b.push(e(1));
    const batch = b.take(2);
    b.push(e(2));
    expect(b.held().map((x) => x.id)).toEqual([1, 2]);
    b.settle([batch[1]]); // 0 was written after all, 1 failed and goes back
    expect(dropped).toEqual([]);
    expect(b.take(5).map((x) => x.id)).toEqual([1, 2]);
  });

  it('settling a partly failed batch keeps only the failures, bytes included', () => {
    const { b } = make(10, 1e9);
    for (let i = 0; i < 5; i++) b.push(e(i));
    const batch = b.take(3);
    b.settle([batch[2]]);
    expect(b.entries).toBe(3);
    expect(b.bytes).toBe(30);
    expect(b.drain().map((x) => x.id)).toEqual([2, 3, 4]);
    expect(b.bytes).toBe(0);
  });
});

type Op = { op: 'push'; bytes: number } | { op: 'take'; n: number } | { op: 'settle'; writtenUpTo: number };

describe('BoundedBuffer order and drop rules (property)', () => {
  const ops = fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ op: fc.constant('push' as const), bytes: fc.integer({ min: 1, max: 40 }) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('take' as const), n: fc.integer({ min: 1, max: 6 }) }) },
      // the writer stops a stream at its first failure: entries before it are written, the rest failed
      { weight: 2, arbitrary: fc.record({ op: fc.constant('settle' as const), writtenUpTo: fc.integer({ min: 0, max: 6 }) }) },
    ),
    { maxLength: 200 },
  );

  it('writes a subsequence of the pushed order, drops the oldest, counts every entry once, stays in bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 40, max: 200 }), ops, (maxEntries, maxBytes, script: Op[]) => {
        const log: Array<{ kind: 'drop' | 'take'; ids: number[] }> = [];
        const dropped: number[] = [];
        const b = new BoundedBuffer<E>(maxEntries, maxBytes, (x) => {
          dropped.push(x.id);
          log.push({ kind: 'drop', ids: [x.id] });
        });
        const written: number[] = [];
        let pushed = 0;
        let batch: E[] | undefined;
        const settle = (upTo: number) => {
          if (!batch) return;
          written.push(...batch.slice(0, upTo).map((x) => x.id));
          b.settle(batch.slice(upTo));
          batch = undefined;
        };
        for (const o of script) {
          if (o.op === 'push') b.push(e(pushed++, o.bytes));
          else if (o.op === 'take' && !batch) {
            batch = b.take(o.n);
            log.push({ kind: 'take', ids: batch.map((x) => x.id) });
          } else if (o.op === 'settle') settle(o.writtenUpTo);
          expect(b.entries).toBeLessThanOrEqual(maxEntries);
          expect(b.bytes).toBeLessThanOrEqual(maxBytes);
        }
        // then Redis comes back: everything left is written
        settle(Infinity);
        while (b.queued > 0) {
          batch = b.take(4);
          log.push({ kind: 'take', ids: batch.map((x) => x.id) });
          settle(Infinity);
        }
        expect(b.entries).toBe(0);
        expect(b.bytes).toBe(0);
        // every pushed entry ends written or dropped, exactly once
        expect([...written, ...dropped].sort((x, y) => x - y)).toEqual(Array.from({ length: pushed }, (_, i) => i));
        // written in pushed order
        for (let i = 1; i < written.length; i++) expect(written[i]).toBeGreaterThan(written[i - 1]);
        // the oldest goes first: once an entry is dropped, no older entry is sent (again)
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
