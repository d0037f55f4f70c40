/** Pure parsing of ctl arguments: `v1=75 v2=25` weights. */
export function parseWeights(pairs: readonly string[]): Record<string, number> {
  if (!pairs.length) throw new Error('give every variant a weight, e.g. v1=75 v2=25');
  const out: Record<string, number> = {};
  for (const p of pairs) {
    const m = /^([^=\s]+)=(-?\d+(?:\.\d+)?)%?$/.exec(p.trim());
    if (!m) throw new Error(`"${p}" is not NAME=PERCENT (e.g. v1=75)`);
    if (m[1] in out) throw new Error(`variant ${m[1]} is given twice`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

export function parsePositiveInt(s: string, what: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer, got "${s}"`);
  return n;
}
