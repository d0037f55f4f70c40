import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawV1Instances } from './raw-instances.ts';
import { toEntry, type EntryContext } from './entry.ts';
import { JsonText } from './json-text.ts';
import { extractFeatures, planFor } from './extract.ts';
import { fieldsOf, testEvent, testRoute } from '../../test/helpers/predictions.ts';
import { unitEncoder } from './unit-hash.ts';
import { scanJson, JSON_OK } from '../http/json-scan.ts';

const route = testRoute('fraud');
const ctx = (over: Partial<EntryContext> = {}): EntryContext => ({ keyPrefix: 'mg:predictions:', maxlen: '1000', maxEntryBytes: 1 << 20, maxFeatures: 256, unit: unitEncoder('hmac', 'k').encode, ...over });
const raw = (s: string, max = 1000, maxFeatures = 256) => rawV1Instances(Buffer.from(s), max, maxFeatures)?.texts;
/** the parsing path's features, as values */
const parsedFeatures = (body: string, max = 1000, maxFeatures = 256) => extractFeatures('v1', JSON.parse(body), planFor(route), max, maxFeatures);

describe('rawV1Instances', () => {
  it('cuts each instance object out of the body as it was sent', () => {
    expect(raw('{"instances":[{"a":1.0,"b":"x"}, {"a":2}]}')).toEqual(['{"a":1.0,"b":"x"}', '{"a":2}']);
    expect(raw(' { "inputs" : [ { "a" : [1, {"b": "]}"}] } ] } ')).toEqual(['{ "a" : [1, {"b": "]}"}] }']);
    expect(raw('{"instances":[]}')).toEqual([]);
    expect(raw('{"other":1}')).toEqual([]);
    expect(raw('{}')).toEqual([]);
  });

  it('reads instances ?? inputs, the last of duplicate keys, as JSON.parse and extract.ts do', () => {
    expect(raw('{"instances":null,"inputs":[{"a":1}]}')).toEqual(['{"a":1}']);
    expect(raw('{"inputs":[{"b":2}],"instances":[{"a":1}]}')).toEqual(['{"a":1}']);
    expect(raw('{"instances":[{"a":1}],"instances":[{"a":2}]}')).toEqual(['{"a":2}']);
    expect(raw('{"instances":[{"a":1}],"instances":null,"inputs":[{"c":3}]}')).toEqual(['{"c":3}']);
  });

  it('keeps at most max instances', () => {
    expect(raw('{"instances":[{"a":1},{"a":2},{"a":3}]}', 2)).toEqual(['{"a":1}', '{"a":2}']);
    // the rest is skipped, and keys after the list are still read
    expect(raw('{"instances":[{"a":1},{"a":2},[9],"x",{"b":[{"c":"]"}]}],"instances":[{"z":0},{"y":1},7]}', 2)).toEqual(['{"z":0}', '{"y":1}']);
  });

  it('leaves every other shape to the parser', () => {
    expect(raw('[{"a":1}]')).toBeUndefined(); // not an object
    expect(raw('{"instances":[[1,2]]}')).toBeUndefined(); // positional rows take names
    expect(raw('{"instances":[1]}')).toBeUndefined();
    expect(raw('{"instances":{"a":1}}')).toBeUndefined(); // a single object
    expect(raw('{"instan\\u0063es":[{"a":1}]}')).toBeUndefined(); // an escaped key
    expect(raw('{"instances":[{"a":1,"b":2,"c":3}]}', 10, 2)).toBeUndefined(); // over max_features: cut by the parser
    expect(raw('{"instances":[{"a":1,"b":2}]}', 10, 2)).toEqual(['{"a":1,"b":2}']);
  });

  const feature = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));
  const instance = fc.dictionary(fc.string({ maxLength: 6 }), feature, { maxKeys: 6 });
  const request = fc.record({ instances: fc.array(instance, { maxLength: 5 }), other: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] });

  it('gives the same values as parsing and re-encoding, however the body is spaced', () => {
    fc.assert(
      fc.property(request, fc.constantFrom(undefined, 1, 2, '\t'), fc.integer({ min: 1, max: 8 }), (req, indent, maxFeatures) => {
        const body = JSON.stringify(req, null, indent);
        expect(scanJson(Buffer.from(body), 64)).toBe(JSON_OK);
        const texts = raw(body, 1000, maxFeatures);
        const parsed = parsedFeatures(body, 1000, maxFeatures);
        const widest = Math.max(0, ...(req.instances ?? []).map((o) => Object.keys(o).length));
        if (widest > maxFeatures) expect(texts).toBeUndefined();
        else expect(texts!.map((t) => JSON.parse(t))).toEqual(JSON.parse(JSON.stringify(parsed)));
      }),
      { seed: 1802, numRuns: 3000 },
    );
  });

  it('toEntry logs the same features from a JsonText as from the parsed request', () => {
    fc.assert(
      fc.property(request, (req) => {
        const body = Buffer.from(JSON.stringify(req));
        const fromText = fieldsOf(toEntry(testEvent(route, { request: new JsonText(body) }), ctx()).args.slice(5));
        const fromValue = fieldsOf(toEntry(testEvent(route, { request: req }), ctx()).args.slice(5));
        expect(JSON.parse(fromText.features)).toEqual(JSON.parse(fromValue.features));
        expect({ ...fromText, features: '' }).toEqual({ ...fromValue, features: '' });
      }),
      { seed: 77, numRuns: 1000 },
    );
  });

  it('a tight budget still cuts raw instances whole, with the instances mark', () => {
    const body = Buffer.from(JSON.stringify({ instances: Array.from({ length: 50 }, (_, i) => ({ amount: i + 0.5, country: 'BR' })) }));
    const e = toEntry(testEvent(route, { request: new JsonText(body) }), ctx({ maxEntryBytes: 700 }));
    const f = fieldsOf(e.args.slice(5));
    const kept = JSON.parse(f.features);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(50);
    expect(kept[0]).toEqual({ amount: 0.5, country: 'BR' });
    expect(f.truncated).toMatch(new RegExp(`^instances:${kept.length}/50`));
    expect(e.bytes).toBeLessThanOrEqual(700);
  });
});
