import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonDepth, tooDeep } from './json-depth.ts';
import { JSON_INVALID, JSON_OK, JSON_TOO_DEEP, scanJson, type JsonScan } from './json-scan.ts';

const b = (s: string) => Buffer.from(s, 'utf8');
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? b(p) : Buffer.from(p))));

function parses(input: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(input).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** What the hot path answers today: tooDeep first, then JSON.parse. */
const reference = (input: Uint8Array, max: number): JsonScan => (tooDeep(input, max) ? JSON_TOO_DEEP : parses(input) ? JSON_OK : JSON_INVALID);

const scan = (s: string, max = 64) => scanJson(b(s), max);

/** Serialize like JSON.stringify but with whitespace from `spaces` (cycled) at every token boundary. */
function spacedStringify(value: unknown, spaces: string[]): string {
  let k = 0;
  const ws = () => (spaces.length ? spaces[k++ % spaces.length] : '');
  const write = (v: unknown): string => {
    if (Array.isArray(v)) return '[' + ws() + v.map((x) => write(x)).join(ws() + ',' + ws()) + ws() + ']';
    if (v !== null && typeof v === 'object') {
      const members = Object.entries(v).map(([key, x]) => JSON.stringify(key) + ws() + ':' + ws() + write(x));
      return '{' + ws() + members.join(ws() + ',' + ws()) + ws() + '}';
    }
    return JSON.stringify(v);
  };
  return ws() + write(value) + ws();
}

const jsonValues = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), // lone surrogates: JSON.stringify escapes them as \udXXX
  fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }), // multi-byte UTF-8 in strings
);
const whitespace = fc.array(fc.stringMatching(/^[ \t\n\r]{0,3}$/), { maxLength: 8 });
const maxDepths = fc.integer({ min: 0, max: 8 });

/** Bytes a mutation inserts or substitutes: JSON punctuation, number parts, escapes, control bytes, non-ASCII, BOM. */
const MUTATION_BYTES = [
  ...'[]{}:,"\\/ \t\n\r0123456789-+.eEuabcdfABCDFnrtlsx\'',
  ...[0x00, 0x01, 0x08, 0x0b, 0x0c, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xef, 0xbb, 0xf0, 0xf5, 0xff],
].map((c) => (typeof c === 'string' ? c.charCodeAt(0) : c));
const mutationByte = fc.constantFrom(...MUTATION_BYTES);

type Mutation = { kind: 'insert' | 'delete' | 'replace'; at: number; byte: number; run: number };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  byte: mutationByte,
  run: fc.integer({ min: 1, max: 3 }),
});

function mutate(input: Buffer, mutations: Mutation[]): Buffer {
  const out = [...input];
  for (const m of mutations) {
    const at = Math.min(out.length, Math.floor(m.at * (out.length + 1)));
    if (m.kind === 'insert') out.splice(at, 0, ...Array<number>(m.run).fill(m.byte));
    else if (m.kind === 'delete') out.splice(at, m.run);
    else out.splice(at, m.run, m.byte);
  }
  return Buffer.from(out);
}

/** Fragments that make near-valid texts when strung together at random. */
const TOKENS = ['[', ']', '{', '}', ':', ',', ' ', '\n', '"a"', '"', '\\', '\\u', '00e9', '\\n', '0', '1', '-', '.', 'e', '+', '12', 'true', 'false', 'null', 'nul', '"[{"', '\t', '\u00e9', '\ufeff'];

describe('scanJson on valid JSON', () => {
  it('is OK when the depth fits and agrees with tooDeep when it does not (fc.jsonValue, random whitespace)', () => {
    fc.assert(
      fc.property(jsonValues, whitespace, maxDepths, (value, spaces, max) => {
        const text = b(spacedStringify(value, spaces));
        const expected = jsonDepth(text) <= max ? JSON_OK : JSON_TOO_DEEP;
        expect(scanJson(text, max)).toBe(expected);
        expect(tooDeep(text, max)).toBe(expected === JSON_TOO_DEEP);
      }),
      { seed: 42, numRuns: 5000 },
    );
  });

  it('is OK for JSON.stringify with indentation', () => {
    fc.assert(
      fc.property(jsonValues, fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constantFrom('\t', '\r\n', ' \t')), (value, indent) => {
        const text = b(JSON.stringify(value, null, indent));
        expect(scanJson(text, 10)).toBe(JSON_OK);
        expect(scanJson(new Uint8Array(text), 10)).toBe(JSON_OK);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('scanJson agrees with tooDeep + JSON.parse', () => {
  it('on mutated JSON texts', () => {
    fc.assert(
      fc.property(jsonValues, whitespace, fc.array(mutation, { minLength: 1, maxLength: 4 }), maxDepths, (value, spaces, mutations, max) => {
        const text = mutate(b(spacedStringify(value, spaces)), mutations);
        expect(scanJson(text, max)).toBe(reference(text, max));
      }),
      { seed: 42, numRuns: 10_000 },
    );
  });

  it('on random strings of JSON fragments', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), maxDepths, (tokens, max) => {
        const text = b(tokens.join(''));
        expect(scanJson(text, max)).toBe(reference(text, max));
      }),
      { seed: 43, numRuns: 10_000 },
    );
  });

  it('on arbitrary byte arrays', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.array(mutationByte, { maxLength: 64 }).map((a) => new Uint8Array(a))), maxDepths, (input, max) => {
        expect(scanJson(input, max)).toBe(reference(input, max));
      }),
      { seed: 44, numRuns: 5000 },
    );
  });
});

describe('scanJson by rule', () => {
  it('numbers', () => {
    for (const ok of ['0', '-0', '1', '-1', '10', '1.5', '-0.0', '1e5', '1E5', '1e+5', '1e-5', '1.25E-10', '0e0', '123456789012345678901234567890', '1e400', '-1e-400'])
      expect([ok, scan(ok)]).toEqual([ok, JSON_OK]);
    for (const bad of ['-', '01', '-01', '00', '1.', '.5', '-.5', '1e', '1e+', '1E-', '+1', '1.e5', '0x10', 'NaN', 'Infinity', '-Infinity', '1.5.5', '1e5e5', '--1', '1-', '- 1'])
      expect([bad, scan(bad)]).toEqual([bad, JSON_INVALID]);
  });

  it('strings and escapes', () => {
    for (const ok of ['""', '"abc"', '"\\""', '"\\\\"', '"\\/"', '"\\b\\f\\n\\r\\t"', '"\\u0041"', '"\\uABCD"', '"\\uabcd"', '"\\ud800"', '"\\udc00\\ud800"', '"é ü 中 😀"', '"\u007f"'])
      expect([ok, scan(ok)]).toEqual([ok, JSON_OK]);
    for (const bad of ['"\\u12G4"', '"\\u123"', '"\\u"', '"\\x"', '"\\a"', '"\\\'"', '"\\v"', '"\\0"', '"\\U0041"', '"\\', '"\\"', '"abc', '"', '"a\tb"', '"a\nb"', '"\u0000"', '"\u001f"', "'a'"])
      expect([bad, scan(bad)]).toEqual([bad, JSON_INVALID]);
  });

  it('literals and top-level values', () => {
    for (const ok of ['true', 'false', 'null', '  1  ', '\t\r\n"x"\n', '[]', '{}', '[ ]', '{ }', '[1,2,3]', '{"a":1,"b":[true,false,null],"a":{}}', '[[],{},[{}]]', '{"":""}'])
      expect([ok, scan(ok)]).toEqual([ok, JSON_OK]);
    for (const bad of ['', ' ', '\n\t\r ', 'nul', 'truex', 'True', 'nulll', 'fals', 'undefined', '1 2', '[] []', '{}x', '"a" "b"', '\u000b1', '\u000c1', '\u00a01', '1\u0000'])
      expect([JSON.stringify(bad), scan(bad)]).toEqual([JSON.stringify(bad), JSON_INVALID]);
  });

  it('arrays and objects', () => {
    for (const bad of ['[1,]', '[,1]', '[,]', '[1 2]', '{"a":1,}', '{"a"}', '{"a":}', '{"a" 1}', '{1:2}', '{a:1}', "{'a':1}", '{,}', '{"a":1 "b":2}', '[1}', '{"a":1]', '[', ']', '{', '}', '[[]', '[]]', '{"a":1}}', '[:]', '{"a"::1}', '{"a",1}'])
      expect([bad, scan(bad)]).toEqual([bad, JSON_INVALID]);
  });

  it('every byte in every one-byte context agrees with the reference', () => {
    const contexts: [string, string][] = [['', ''], ['"', '"'], ['"\\', '"'], ['"\\u00', '0"'], ['1', ''], ['-', ''], ['1.', ''], ['1e', ''], ['[1', ']'], ['{"a"', '1}'], ['{', '"a":1}'], ['[', ']'], ['t', 'ue'], [' ', ' ']];
    for (const [before, after] of contexts)
      for (let c = 0; c < 256; c++) {
        const input = bytes(before, [c], after);
        expect([before, c, after, scanJson(input, 64)]).toEqual([before, c, after, reference(input, 64)]);
      }
  });

  it('a UTF-8 BOM is invalid, as for JSON.parse', () => {
    const bom = [0xef, 0xbb, 0xbf];
    expect(scanJson(bytes(bom, '{}'), 64)).toBe(JSON_INVALID);
    expect(parses(bytes(bom, '{}'))).toBe(false);
    expect(scanJson(bytes('"', bom, '"'), 64)).toBe(JSON_OK); // inside a string it is just U+FEFF
  });

  it('bytes >= 0x80 are fine inside strings and invalid outside', () => {
    for (const seq of [[0x80], [0xff], [0xc3, 0xa9], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      expect(scanJson(bytes('"', seq, '"'), 64)).toBe(JSON_OK);
      expect(scanJson(bytes('[', seq, ']'), 64)).toBe(JSON_INVALID);
      expect(scanJson(bytes('1', seq), 64)).toBe(JSON_INVALID);
    }
  });
});

describe('the UTF-8 decoder never swallows or invents an ASCII byte (so scanning bytes matches JSON.parse on the text)', () => {
  const INVALID_SEQUENCES = [[0x80], [0xbf], [0xc0], [0xc1, 0x80], [0xc3], [0xe2], [0xe2, 0x82], [0xe0, 0x80], [0xed, 0xa0], [0xed, 0xa0, 0x80], [0xf0], [0xf0, 0x9f], [0xf0, 0x9f, 0x98], [0xf4, 0x90], [0xf5], [0xf8, 0x88, 0x80, 0x80], [0xfe], [0xff]];

  it('every ASCII byte after an invalid sequence decodes as itself, after only U+FFFD', () => {
    for (const seq of INVALID_SEQUENCES)
      for (let ascii = 0; ascii < 0x80; ascii++) {
        const text = Buffer.from([...seq, ascii]).toString('utf8');
        expect(text.endsWith(String.fromCharCode(ascii))).toBe(true);
        expect([...text.slice(0, -1)].every((ch) => ch === '\ufffd')).toBe(true);
      }
  });

  it('an invalid sequence before a closing quote, a backslash or a control byte', () => {
    for (const seq of INVALID_SEQUENCES) {
      const cases: [Buffer, JsonScan][] = [
        [bytes('"', seq, '"'), JSON_OK],
        [bytes('"', seq, '\\n"'), JSON_OK],
        [bytes('"', seq, '\\"'), JSON_INVALID], // the backslash escapes the quote: unterminated
        [bytes('"', seq, '\\u0041"'), JSON_OK],
        [bytes('"', seq, [0x09], '"'), JSON_INVALID],
        [bytes('{"', seq, '":"', seq, '"}'), JSON_OK],
      ];
      for (const [input, expected] of cases) {
        expect(scanJson(input, 64)).toBe(expected);
        expect(reference(input, 64)).toBe(expected);
      }
    }
  });

  it('ASCII bytes in, ASCII characters out, in order, for any bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.array(mutationByte, { maxLength: 64 }).map((a) => new Uint8Array(a))), (input) => {
        const asciiIn = [...input].filter((c) => c < 0x80);
        const asciiOut = [...Buffer.from(input).toString('utf8')].map((ch) => ch.charCodeAt(0)).filter((c) => c < 0x80);
        expect(asciiOut).toEqual(asciiIn);
      }),
      { seed: 45, numRuns: 3000 },
    );
  });
});

describe('scanJson depth', () => {
  it('one level past the limit is TOO_DEEP; at the limit it is OK', () => {
    expect(scanJson(b('['.repeat(65)), 64)).toBe(JSON_TOO_DEEP);
    expect(scanJson(b('['.repeat(65) + ']'.repeat(65)), 64)).toBe(JSON_TOO_DEEP);
    expect(scanJson(b('['.repeat(64) + ']'.repeat(64)), 64)).toBe(JSON_OK);
    expect(scanJson(b('{"a":'.repeat(64) + '1' + '}'.repeat(64)), 64)).toBe(JSON_OK);
    expect(scanJson(b('{"a":'.repeat(65) + '1' + '}'.repeat(65)), 64)).toBe(JSON_TOO_DEEP);
    expect(scanJson(b('[]'), 0)).toBe(JSON_TOO_DEEP);
    expect(scanJson(b('1'), 0)).toBe(JSON_OK);
  });

  it('brackets inside strings do not count', () => {
    expect(scan('["[[[[{{{{"]', 1)).toBe(JSON_OK);
    expect(scan('{"[[[[": "{{{{", "\\"[[[": "\\\\"}', 1)).toBe(JSON_OK);
    expect(scan('"' + '['.repeat(100) + '"', 0)).toBe(JSON_OK);
    expect(scan('"' + '['.repeat(100), 0)).toBe(JSON_INVALID); // unterminated, and the brackets are in a string
  });

  it('a syntax error before the deep part: tooDeep on the whole buffer decides', () => {
    expect(scan('1 ' + '['.repeat(65) + ']'.repeat(65))).toBe(JSON_TOO_DEEP);
    expect(scan('x' + '['.repeat(65))).toBe(JSON_TOO_DEEP);
    expect(scan('[1,]' + '['.repeat(65))).toBe(JSON_TOO_DEEP);
    expect(scan('[1,]' + '['.repeat(64))).toBe(JSON_INVALID);
    expect(scan('"\\"' + '['.repeat(65))).toBe(JSON_INVALID); // an escaped quote: all in one string for both
  });

  it('10,000 levels deep does not overflow, and deeper limits grow the stack', () => {
    const deep = b('['.repeat(10_000) + ']'.repeat(10_000));
    expect(scanJson(deep, 10_000)).toBe(JSON_OK);
    expect(scanJson(deep, 9_999)).toBe(JSON_TOO_DEEP);
    const deeperObjects = b('{"k":['.repeat(15_000) + ']}'.repeat(15_000));
    expect(scanJson(deeperObjects, 30_000)).toBe(JSON_OK);
    expect(scanJson(b('{"k":['.repeat(15_000) + '}]'.repeat(15_000)), 30_000)).toBe(JSON_INVALID);
    expect(scanJson(b('[{"k":1},[2]]'), 64)).toBe(JSON_OK); // the stack is still right afterwards
  });
});

describe('scanJson input kinds', () => {
  it('reads a Uint8Array view with an offset, within its bounds only', () => {
    const backing = b('xx[1,{"a":2}]yy');
    expect(scanJson(backing.subarray(2, 13), 64)).toBe(JSON_OK);
    expect(scanJson(new Uint8Array(backing.buffer, backing.byteOffset + 2, 11), 64)).toBe(JSON_OK);
    expect(scanJson(backing.subarray(2, 12), 64)).toBe(JSON_INVALID);
    expect(scanJson(b('"ab"').subarray(0, 3), 64)).toBe(JSON_INVALID);
    expect(scanJson(b('true').subarray(0, 3), 64)).toBe(JSON_INVALID);
    expect(scanJson(b('"\\u0041"').subarray(0, 6), 64)).toBe(JSON_INVALID);
  });

  it('bench/request.json is OK', async () => {
    const { readFileSync } = await import('node:fs');
    const body = readFileSync(new URL('../../bench/request.json', import.meta.url));
    expect(scanJson(body, 64)).toBe(JSON_OK);
    expect(scanJson(body, 3)).toBe(JSON_OK); // {"instances":[{...}]}
    expect(scanJson(body, 2)).toBe(JSON_TOO_DEEP);
  });
});
