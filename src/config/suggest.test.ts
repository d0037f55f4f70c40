import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';
import { fileSchema } from './schema.ts';
import { didYouMean, editDistance, knownKeysAt } from './suggest.ts';

type Def = { type: string; catchall?: z.ZodType; shape?: Record<string, z.ZodType>; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** every object schema in the tree, with its path */
function objects(s: z.ZodType, path: string, out: [string, Def][] = [], seen = new Set<unknown>()): [string, Def][] {
  if (seen.has(s)) return out;
  seen.add(s);
  const d = defOf(s);
  const next = (c: unknown, p: string) => c && objects(c as z.ZodType, p, out, seen);
  if (d.type === 'object') {
    out.push([path, d]);
    for (const [k, v] of Object.entries(d.shape ?? {})) next(v, `${path}.${k}`);
  }
  next(d.innerType, path);
  next(d.in, path);
  next(d.valueType, `${path}.*`);
  next(d.element, `${path}[]`);
  for (const o of (d.options as z.ZodType[] | undefined) ?? []) next(o, path);
  return out;
}

describe('config strictness and suggestions', () => {
  it('makes every block of the config strict (unknown keys are errors)', () => {
    const all = objects(fileSchema, '(root)');
    expect(all.length).toBeGreaterThan(15);
    const loose = all.filter(([, d]) => !d.catchall || defOf(d.catchall).type !== 'never').map(([p]) => p);
    expect(loose).toEqual([]);
  });

  it('finds the keys a path accepts, through defaults, records, arrays and unions', () => {
    expect(knownKeysAt(fileSchema, ['monitor'])).toContain('window_ms');
    expect(knownKeysAt(fileSchema, ['routes', 'fraud', 'variants', 0])).toContain('weight');
    expect(knownKeysAt(fileSchema, ['routes', 'fraud', 'unit'])).toEqual(expect.arrayContaining(['header', 'cookie', 'query', 'body']));
    expect(knownKeysAt(fileSchema, ['nope'])).toEqual([]);
  });

  it('suggests the closest key for a typo, and nothing for a stranger', () => {
    expect(editDistance('wieght', 'weight')).toBe(2);
    expect(didYouMean('windw_ms', ['window_ms', 'window_entries'])).toBe('window_ms');
    expect(didYouMean('psi_significnt', ['psi_moderate', 'psi_significant'])).toBe('psi_significant');
    expect(didYouMean('banana', ['host', 'port'])).toBeUndefined();
  });

  it('reports every problem of a config at once, each with its path and a suggestion', () => {
    let message = '';
    try {
      parseConfig({ monitor: { windw_ms: 5, port: 'x' }, limits: { max_body_bytes: -1 }, routes: { a: { models: ['m'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:1', version: '1', weight: 100, wieght: 3 }], upstrem: {} } } }, 'x.yaml', {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('monitor.windw_ms: unknown key "windw_ms" (did you mean "window_ms"?)');
    expect(message).toContain('monitor.port:');
    expect(message).toContain('limits.max_body_bytes:');
    expect(message).toContain('routes.a.variants[0].wieght: unknown key "wieght" (did you mean "weight"?)');
    expect(message).toContain('routes.a.upstrem: unknown key "upstrem" (did you mean "upstream"?)');
  });
});
