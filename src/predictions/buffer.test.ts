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

  it('never drops in-flight entries; a failed batch goes back to the front in order', () => {
    const { b, dropped } = make(4, 1e9);
    for (let i = 0; i < 4; i++) b.push(e(i));
    const batch = b.take(2);
    expect(batch.map((x) => x.id)).toEqual([0, 1]);
    expect(() => b.take(1)).toThrow();
    b.push(e(4));
    b.push(e(5));
    expect(dropped).toEqual([2, 3]);
    b.push(e(6));
    expect(dropped).toEqual([2, 3, 4]);
    b.settle(batch);
    expect(b.entries).toBe(4);
    expect(b.bytes).toBe(40);
    expect(b.take(10).map((x) => x.id)).toEqual([0, 1, 5, 6]);
  });

  it('with only in-flight entries left, the new entry is the one dropped', () => {
    const { b, dropped } = make(2, 1e9);
    b.push(e(0));
    b.push(e(1));
    b.take(2);
    b.push(e(2));
    expect(dropped).toEqual([2]);
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
