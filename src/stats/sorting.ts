/** Input checks and the one sort each sample-based statistic needs. */

/** A new ascending Float64Array copy of `values`; rejects empty input and non-finite values. */
export function sortedCopy(values: ArrayLike<number>, name = 'values'): Float64Array {
  const n = values.length;
  if (n === 0) throw new RangeError(`${name} must not be empty`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`${name}[${i}] is not a finite number`);
    out[i] = v;
  }
  return out.sort();
}

/** Throws unless `values` is non-empty, finite and ascending (checked in one pass). */
export function assertSorted(values: ArrayLike<number>, name = 'values'): void {
  const n = values.length;
  if (n === 0) throw new RangeError(`${name} must not be empty`);
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`${name}[${i}] is not a finite number`);
    if (v < previous) throw new RangeError(`${name} must be sorted ascending (index ${i})`);
    previous = v;
  }
}

/** Throws unless `values` is non-empty and every entry is finite. */
export function assertFinite(values: ArrayLike<number>, name = 'values'): void {
  const n = values.length;
  if (n === 0) throw new RangeError(`${name} must not be empty`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${name}[${i}] is not a finite number`);
  }
}

/** Throws unless `counts` holds finite, non-negative numbers. */
export function assertCounts(counts: ArrayLike<number>, name = 'counts'): void {
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!(c >= 0) || !Number.isFinite(c)) {
      throw new RangeError(`${name}[${i}] must be a finite non-negative number`);
    }
  }
}
