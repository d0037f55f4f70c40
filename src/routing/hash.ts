/**
 * MurmurHash3_x86_32 over UTF-8 bytes (DESIGN.md "Assignment"). npm murmurhash3js hashes the
 * low byte of each UTF-16 code unit, so it is fed "binary strings": one char per byte.
 * The hot path hashes `<prefix><unit>` for a prefix fixed per route (the salt): `hashPrefix`
 * runs the prefix's whole 4-byte blocks once, when the route is compiled, and `murmur3After`
 * goes on from there over the unit's bytes with Math.imul, so a request neither concatenates
 * strings nor hashes the prefix again (the same value as murmurhash3js on the concatenation;
 * hash.test.ts checks it against the library).
 */
import murmur from 'murmurhash3js';

export const BUCKETS = 10_000;

const NON_ASCII = /[^\x00-\x7f]/;

/** A JS string as a binary string of its UTF-8 bytes (identity for ASCII). */
export function utf8Binary(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

/** Hash of a binary string (each char is one byte, 0..255). */
export function murmur3Binary(binary: string, seed = 0): number {
  return murmur.x86.hash32(binary, seed) >>> 0;
}

/** MurmurHash3_x86_32 of the UTF-8 bytes of a string. */
export function murmur3(s: string, seed = 0): number {
  return murmur3Binary(utf8Binary(s), seed);
}

/** bucket = murmur3(prefix + salt + ":" + unit) mod 10000; `unitBinary` is already bytes. */
export function bucketOf(saltPrefixBinary: string, unitBinary: string): number {
  return murmur3Binary(saltPrefixBinary + unitBinary) % BUCKETS;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3's state after a prefix's whole 4-byte blocks, and the prefix's last 0-3 bytes. */
export interface HashPrefix {
  readonly h1: number;
  /** the bytes after the last whole block, little-endian */
  readonly carry: number;
  readonly carryBytes: number;
  readonly length: number;
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function mixBlock(h1: number, k1: number): number {
  k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
  h1 = rotl(h1 ^ k1, 13);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

/** The hash state after `binary` (one char per byte), for murmur3After. */
export function hashPrefix(binary: string, seed = 0): HashPrefix {
  let h1 = seed | 0;
  const whole = binary.length - (binary.length % 4);
  for (let i = 0; i < whole; i += 4)
    h1 = mixBlock(h1, (binary.charCodeAt(i) & 0xff) | ((binary.charCodeAt(i + 1) & 0xff) << 8) | ((binary.charCodeAt(i + 2) & 0xff) << 16) | ((binary.charCodeAt(i + 3) & 0xff) << 24));
  let carry = 0;
  for (let i = whole; i < binary.length; i++) carry |= (binary.charCodeAt(i) & 0xff) << ((i - whole) << 3);
  return { h1, carry, carryBytes: binary.length - whole, length: binary.length };
}

/** murmur3Binary(prefix + binary) from the prefix's state: only the unit's bytes are hashed. */
export function murmur3After(p: HashPrefix, binary: string): number {
  let h1 = p.h1;
  let k = p.carry;
  let n = p.carryBytes;
  for (let i = 0; i < binary.length; i++) {
    k |= (binary.charCodeAt(i) & 0xff) << (n << 3);
    if (++n === 4) {
      h1 = mixBlock(h1, k);
      k = 0;
      n = 0;
    }
  }
  if (n > 0) h1 ^= Math.imul(rotl(Math.imul(k, C1), 15), C2);
  h1 ^= p.length + binary.length;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  return (h1 ^ (h1 >>> 16)) >>> 0;
}
