import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { msgpackBatch } from './msgpack-batch.ts';

const entry = (...fields: string[]) => ({ args: ['k', 'MAXLEN', '~', '10', '*', ...fields], bytes: 0 });

/** A reader of just the shape msgpackBatch writes (MessagePack spec: array and str families). */
function decode(buf: Buffer): string[][] {
  let at = 0;
  const len = (): number => {
    const t = buf[at++];
    if ((t & 0xf0) === 0x90) return t & 0x0f;
    if ((t & 0xe0) === 0xa0) return t & 0x1f;
    if (t === 0xd9) return buf[at++];
    if (t === 0xdc || t === 0xda) return (at += 2), buf.readUInt16BE(at - 2);
    if (t === 0xdd || t === 0xdb) return (at += 4), buf.readUInt32BE(at - 4);
    throw new Error(`type 0x${t.toString(16)} at ${at - 1}`);
  };
  const out: string[][] = [];
  for (let n = len(), i = 0; i < n; i++) {
    const fields: string[] = [];
    for (let m = len(), j = 0; j < m; j++) {
      const l = len();
      fields.push(buf.toString('utf8', at, (at += l)));
    }
    out.push(fields);
  }
  expect(at).toBe(buf.length);
  return out;
}

describe('msgpackBatch', () => {
  it('writes the smallest header of each size class (fixstr, str8, str16, str32; fixarray, array16)', () => {
    const head = (s: string) => [...msgpackBatch([entry(s)], 5).subarray(0, 5)];
    expect(head('')).toEqual([0x91, 0x91, 0xa0]);
    expect(head('a'.repeat(31)).slice(0, 3)).toEqual([0x91, 0x91, 0xbf]);
    expect(head('a'.repeat(32)).slice(0, 4)).toEqual([0x91, 0x91, 0xd9, 32]);
    expect(head('a'.repeat(255)).slice(0, 4)).toEqual([0x91, 0x91, 0xd9, 255]);
    expect(head('a'.repeat(256))).toEqual([0x91, 0x91, 0xda, 0x01, 0x00]);
    expect(head('a'.repeat(65_535))).toEqual([0x91, 0x91, 0xda, 0xff, 0xff]);
    expect([...msgpackBatch([entry('a'.repeat(65_536))], 5).subarray(0, 7)]).toEqual([0x91, 0x91, 0xdb, 0, 1, 0, 0]);
    const fields = Array.from({ length: 16 }, (_, i) => String(i));
    expect([...msgpackBatch([entry(...fields.slice(0, 15))], 5).subarray(0, 2)]).toEqual([0x91, 0x9f]);
    expect([...msgpackBatch([entry(...fields)], 5).subarray(0, 4)]).toEqual([0x91, 0xdc, 0, 16]);
    const many = Array.from({ length: 16 }, () => entry('x'));
    expect([...msgpackBatch(many, 5).subarray(0, 3)]).toEqual([0xdc, 0, 16]);
  });

  it('sizes a str by UTF-8 bytes, not characters (a 31-character string of 2-byte characters is a str8)', () => {
    const s = 'é'.repeat(31);
    expect([...msgpackBatch([entry(s)], 5).subarray(0, 4)]).toEqual([0x91, 0x91, 0xd9, 62]);
    expect(decode(msgpackBatch([entry(s, 'ünï ✓', '😀')], 5))).toEqual([[s, 'ünï ✓', '😀']]);
  });

  it('encodes a lone surrogate as Buffer does (U+FFFD), as a plain XADD would store it', () => {
    expect(decode(msgpackBatch([entry('\ud800 x')], 5))).toEqual([['\ufffd x']]);
  });

  it('round-trips any batch, whatever the size hint says', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { maxLength: 20 }), { maxLength: 20 }), fc.nat(2000), (batch, hint) => {
        const entries = batch.map((f) => ({ ...entry(...f), bytes: hint }));
        expect(decode(msgpackBatch(entries, 5))).toEqual(batch);
      }),
    );
  });
});
