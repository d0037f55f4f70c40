import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasOutputList } from './answer-shape.ts';
import { outputsOf } from './compare.ts';
import { parseChecked } from './shadow.ts';

const has = (s: string, depth = 64) => hasOutputList(Buffer.from(s), depth);
/** what the parsing path answers */
const parsed = (s: string, depth = 64) => outputsOf(parseChecked(Buffer.from(s), depth)) !== undefined;

describe('hasOutputList', () => {
  it('is true for an object whose predictions, or else outputs, is an array', () => {
    expect(has('{"predictions":[0.5,0.25]}')).toBe(true);
    expect(has(' { "outputs" : [ {"name":"p","data":[1]} ] } ')).toBe(true);
    expect(has('{"predictions":3,"outputs":[]}')).toBe(true); // predictions no array: outputs counts
    expect(has('{"predictions":[],"predictions":null}')).toBe(false); // the last one counts
    expect(has('{"predictions":null,"predictions":[1]}')).toBe(true);
    expect(has('{"other":[1],"x":{"predictions":[1]}}')).toBe(false); // nested keys do not count
    expect(has('[1]')).toBe(false);
  });

  it('is false for what is not JSON or too deep, as the parse path; undefined for escaped keys', () => {
    expect(has('')).toBe(false);
    expect(has('{"predictions":[1,]}')).toBe(false);
    expect(has('{"predictions":[1]} x')).toBe(false);
    expect(has('{"predictions":[[[1]]]}', 2)).toBe(false);
    expect(parsed('{"predictions":[[[1]]]}', 2)).toBe(false);
    expect(has('{"predi\\u0063tions":[1]}')).toBeUndefined();
  });

  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
  const key = fc.constantFrom('predictions', 'outputs', 'other', 'Predictions', 'outputs ');
  /** answers built key by key, so that keys repeat (JSON.stringify never writes that) */
  const answer = fc.oneof(
    fc.tuple(fc.array(fc.tuple(key, value), { maxLength: 4 }), fc.constantFrom(undefined, 2, '\t')).map(([pairs, indent]) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v, null, indent)}`).join(indent ? ',\n ' : ',')}}`),
    value.map((v) => JSON.stringify(v)),
  );

  it('answers what parsing the answer and looking for outputs answers', () => {
    fc.assert(
      fc.property(answer, fc.integer({ min: 1, max: 4 }), (body, depth) => {
        const h = has(body, depth);
        // undefined only where a key has an escape, and the caller then parses
        if (h === undefined) expect(body).toContain('\\');
        else expect(h).toBe(parsed(body, depth));
      }),
      { seed: 1804, numRuns: 3000 },
    );
  });
});
