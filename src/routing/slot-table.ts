/**
 * The slot table (DESIGN.md "Assignment"): 10,000 slots, each owned by a variant (by name).
 * Pure functions: a fresh contiguous layout, and a minimal-movement rebalance.
 */
import { BUCKETS } from './hash.ts';

export interface WeightedName {
  name: string;
  /** basis points, summing to 10000 across the route */
  bp: number;
}

/** Run-length encoding of the owners in slot order: [[variant, count], ...]. */
export type SlotRuns = Array<[string, number]>;

export function toBasisPoints(percent: number): number {
  return Math.round(percent * 100);
}

function checkTotal(variants: readonly WeightedName[]): void {
  const total = variants.reduce((s, v) => s + v.bp, 0);
  if (total !== BUCKETS) throw new RangeError(`weights sum to ${total} basis points, expected ${BUCKETS}`);
}

/** Variants as contiguous ranges in declared order. */
export function layoutSlots(variants: readonly WeightedName[]): string[] {
  checkTotal(variants);
  const owners: string[] = new Array(BUCKETS);
  let i = 0;
  for (const v of variants) for (let k = 0; k < v.bp; k++) owners[i++] = v.name;
  return owners;
}

/**
 * Moves only the slots that must move: each shrinking variant releases its highest-numbered
 * slots (a removed variant all of them); growing variants take the released slots in
 * ascending slot order, variants in declared order.
 */
export function rebalanceSlots(owners: readonly string[], variants: readonly WeightedName[]): string[] {
  checkTotal(variants);
  const target = new Map(variants.map((v) => [v.name, v.bp]));
  const slotsOf = new Map<string, number[]>();
  owners.forEach((name, slot) => {
    let list = slotsOf.get(name);
    if (!list) slotsOf.set(name, (list = []));
    list.push(slot);
  });
  const next = owners.slice();
  const released: number[] = [];
  for (const [name, slots] of slotsOf) {
    const keep = target.get(name) ?? 0;
    if (slots.length > keep) released.push(...slots.slice(keep));
  }
  released.sort((a, b) => a - b);
  let r = 0;
  for (const v of variants) {
    const have = slotsOf.get(v.name)?.length ?? 0;
    for (let k = have; k < v.bp; k++) next[released[r++]] = v.name;
  }
  return next;
}

export function encodeRuns(owners: readonly string[]): SlotRuns {
  const runs: SlotRuns = [];
  for (const name of owners) {
    const last = runs[runs.length - 1];
    if (last && last[0] === name) last[1]++;
    else runs.push([name, 1]);
  }
  return runs;
}

export function decodeRuns(runs: SlotRuns): string[] {
  const owners: string[] = [];
  for (const [name, count] of runs) for (let k = 0; k < count; k++) owners.push(name);
  if (owners.length !== BUCKETS) throw new RangeError(`slot table has ${owners.length} slots, expected ${BUCKETS}`);
  return owners;
}

/** Share of slots (0..1) that change owner, per (from, to) pair and in total. */
export function movement(before: readonly string[], after: readonly string[]): { total: number; pairs: Record<string, Record<string, number>> } {
  const pairs: Record<string, Record<string, number>> = {};
  let moved = 0;
  for (let s = 0; s < BUCKETS; s++) {
    if (before[s] === after[s]) continue;
    moved++;
    const row = (pairs[before[s]] ??= {});
    row[after[s]] = (row[after[s]] ?? 0) + 1 / BUCKETS;
  }
  return { total: moved / BUCKETS, pairs };
}
