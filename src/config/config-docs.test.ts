/**
 * docs/configuration.md documents every key the config schema accepts: walks the schema (as
 * the JSON Schema of its input, json-schema.ts) and asserts each key names a row of one of the
 * page's tables (its first cell, in backticks: `block.key` for process settings, `key`,
 * `variants[].key`, `upstream.key`, ... for a route), and that no row names a key that is gone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemaOf, type JsonSchema } from './json-schema.ts';
import { routeSchema, staticSchema } from './schema.ts';

type Node = JsonSchema & { properties?: Record<string, Node>; items?: Node; type?: string | string[] };

/** `prefix.key` for each key of an object schema; nested objects and arrays of objects go one level down. */
function keysOf(schema: Node, prefix = ''): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([k, v]) => {
    const path = `${prefix}${k}`;
    if (v.properties) return keysOf(v, `${path}.`);
    if (v.items?.properties) return keysOf(v.items, `${path}[].`);
    return [path];
  });
}

/** every backticked name in the first cell of a table row */
function documented(page: string): Set<string> {
  const names = new Set<string>();
  for (const line of page.split('\n')) {
    const m = /^\|([^|]*)\|/.exec(line);
    if (!m) continue;
    for (const n of m[1].matchAll(/`([^`]+)`/g)) names.add(n[1]);
  }
  return names;
}

const page = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const staticKeys = keysOf(jsonSchemaOf(staticSchema) as Node);
const routeKeys = keysOf(jsonSchemaOf(routeSchema) as Node);

describe('docs/configuration.md', () => {
  it('walks the schema: every block, the monitor block and a route\'s nested keys', () => {
    expect(staticKeys).toEqual(expect.arrayContaining(['listen.port', 'admin.allow_backends', 'redis.url', 'log.hmac_key', 'trusted_proxies', 'monitor.window_ms', 'monitor.experiment_max_units', 'tracing.sample_ratio', 'grpc.max_stream_ms']));
    expect(routeKeys).toEqual(expect.arrayContaining(['models', 'unit', 'variants[].weight', 'shadows[].tolerance', 'upstream.keep_alive_timeout_ms', 'extract.features']));
    expect(staticKeys.length).toBeGreaterThan(60);
  });

  it('has a table row for every key of every block', () => {
    const names = documented(page);
    expect([...staticKeys, ...routeKeys].filter((k) => !names.has(k))).toEqual([]);
  });

  it('documents no key the schema does not have', () => {
    const known = new Set([...staticKeys, ...routeKeys]);
    const stale = [...documented(page)].filter((n) => /^[a-z_]+(\[\])?(\.[a-z_]+)*$/.test(n) && !known.has(n) && n !== 'key');
    expect(stale).toEqual([]);
  });
});
