/**
 * Test support (not exported from index.ts): deterministic samples that
 * scripts/stats-vectors.py generates identically, so vectors.json can describe a 12,000-value
 * sample as `{ gen: 'normal', seed: 33, n: 12000 }` instead of storing it. Both sides use
 * mulberry32 and the same IEEE operations in the same order — keep `expandSample` and the
 * script's `expand()` in sync.
 */
export interface SampleSpec {
  gen: 'uniform' | 'normal' | 'int' | 'rounded';
  seed: number;
  n: number;
  loc?: number;
  scale?: number;
  levels?: number;
}

export type Sample = number[] | SampleSpec;

/** mulberry32: a small 32-bit PRNG returning multiples of 2^-32 in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function expandSample(sample: Sample): number[] {
  if (Array.isArray(sample)) return sample;
  const draw = mulberry32(sample.seed);
  const loc = sample.loc ?? 0;
  const scale = sample.scale ?? 1;
  const out = new Array<number>(sample.n);
  for (let i = 0; i < sample.n; i++) {
    switch (sample.gen) {
      case 'uniform':
        out[i] = draw() * scale + loc;
        break;
      case 'normal': {
        const s = draw() + draw() + draw() + draw() - 2;
        out[i] = s * scale + loc;
        break;
      }
      case 'int':
        out[i] = Math.floor(draw() * (sample.levels ?? 2)) + loc;
        break;
      case 'rounded': {
        const s = draw() + draw() + draw() + draw() - 2;
        out[i] = Math.floor((s * scale + loc) * 10) / 10;
        break;
      }
    }
  }
  return out;
}

/**
 * Relative comparison with an absolute floor: |actual - expected| <= rel·|expected| + abs.
 * NaN matches NaN and infinities must match exactly.
 */
export function close(actual: number, expected: number, rel: number, abs = 0): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= rel * Math.abs(expected) + abs;
}
