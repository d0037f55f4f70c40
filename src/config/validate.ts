/** Runs a zod schema and turns every issue into `{ path, message }`, all at once. */
import type { z } from 'zod';
import { didYouMean, knownKeysAt } from './suggest.ts';

export interface Problem {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(root)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

export function validate<S extends z.ZodType>(schema: S, input: unknown, basePath: PropertyKey[] = []): Validated<z.infer<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const problems: Problem[] = [];
  for (const issue of r.error.issues) {
    const path = formatPath([...basePath, ...issue.path]);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const guess = didYouMean(key, known);
        problems.push({ path: formatPath([...basePath, ...issue.path, key]), message: `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : known.length ? ` (known keys: ${known.join(', ')})` : ''}` });
      }
    } else if (issue.code === 'invalid_union' && 'errors' in issue && Array.isArray(issue.errors)) {
      problems.push({ path, message: `${issue.message}: expected one of the documented forms` });
    } else problems.push({ path, message: issue.message });
  }
  return { ok: false, problems };
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
