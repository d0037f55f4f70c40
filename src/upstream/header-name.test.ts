import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerName } from './header-name.ts';

/** RFC 9110 token characters: what undici's parser admits in a header name */
const TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const token = fc.array(fc.constantFrom(...TCHAR), { minLength: 1, maxLength: 40 }).map((cs) => cs.join(''));
const known = fc.constantFrom('Content-Type', 'CONTENT-LENGTH', 'date', 'Connection', 'Keep-Alive', 'X-Model-Variant', 'x-request-id', 'Set-Cookie', 'TE');
/** a known name with one character swapped for another token character */
const nearKnown = fc.tuple(known, fc.nat(), fc.constantFrom(...TCHAR)).map(([n, i, c]) => n.slice(0, i % n.length) + c + n.slice((i % n.length) + 1));

describe('headerName', () => {
  it('equals toString + toLowerCase for every token name, known, near-known or random', () => {
    fc.assert(
      fc.property(fc.oneof(token, known, nearKnown), (name) => {
        expect(headerName(Buffer.from(name, 'latin1'))).toBe(name.toLowerCase());
      }),
      { numRuns: 5000, seed: 18 },
    );
  });

  it('lower-cases a known name in any case, and a name given as a string', () => {
    expect(headerName(Buffer.from('Content-Type'))).toBe('content-type');
    expect(headerName(Buffer.from('CONTENT-TYPE'))).toBe(headerName(Buffer.from('content-type')));
    expect(headerName('X-Custom')).toBe('x-custom');
  });
});
