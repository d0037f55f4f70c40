import { describe, expect, it } from 'vitest';
import { fieldsOf, testEvent, testRoute } from '../../test/helpers/predictions.ts';
import { toEntry } from './entry.ts';
import { entryInstances, entryOutputs, FIELDS, parseEntry, SCHEMA_VERSION } from './schema.ts';
import { unitEncoder } from './unit-hash.ts';

describe('stream entry schema', () => {
  it('the writer writes only fields the schema names, and the reader reads back what it wrote', () => {
    const route = testRoute('fraud', { features: ['amount', 'risk'] });
    const { args } = toEntry(testEvent(route, { error: 'UPSTREAM_TIMEOUT', status: 504 }), { keyPrefix: 'mg:predictions:', maxlen: '10', maxEntryBytes: 65_536, unit: unitEncoder('hmac', 'k').encode });
    const flat = args.slice(5);
    const known = new Set<string>(Object.values(FIELDS));
    for (const name of Object.keys(fieldsOf(flat))) expect(known.has(name), name).toBe(true);
    const e = parseEntry('1700000000123-0', flat);
    expect(e.fields[FIELDS.v]).toBe(SCHEMA_VERSION);
    expect(e).toMatchObject({ ts: 1700000000123, rid: 'req-1', variant: 'v1', version: '1.4.2', role: 'live', assign: 'hash', status: 504, error: 'UPSTREAM_TIMEOUT' });
    expect(entryInstances(e).length).toBe(entryOutputs(e).length);
  });
});
