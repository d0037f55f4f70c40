/**
 * "Did you mean …?" for unknown config keys (pure): the keys a schema accepts at a path, and
 * the closest one to a typo by edit distance.
 */
import type { z } from 'zod';

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; valueType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; left?: z.ZodType; right?: z.ZodType };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional', 'lazy']);

/** the schemas a value at this schema can be, with wrappers, pipes and unions opened */
function candidates(s: z.ZodType | undefined, depth = 0): z.ZodType[] {
  if (!s || depth > 20) return [];
  const d = defOf(s);
  if (d.type === 'lazy') return candidates((s as unknown as { _zod: { innerType: z.ZodType } })._zod.innerType, depth + 1);
  if (WRAPPERS.has(d.type)) return candidates(d.innerType, depth + 1);
  if (d.type === 'pipe') return candidates(d.in, depth + 1);
  if (d.type === 'union') return (d.options ?? []).flatMap((o) => candidates(o, depth + 1));
  if (d.type === 'intersection') return [...candidates(d.left, depth + 1), ...candidates(d.right, depth + 1)];
  return [s];
}

/** every key an object at `path` accepts (empty when the path leads to no object schema) */
export function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let here = candidates(schema);
  for (const seg of path) {
    here = here.flatMap((s) => {
      const d = defOf(s);
      if (d.type === 'object') return candidates(d.shape?.[String(seg)]);
      if (d.type === 'record') return candidates(d.valueType);
      if (d.type === 'array') return candidates(d.element);
      return [];
    });
  }
  return [...new Set(here.flatMap((s) => (defOf(s).type === 'object' ? Object.keys(defOf(s).shape ?? {}) : [])))];
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** the closest known key, if close enough to be a typo (a third of its length, at least 2 edits) */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}
