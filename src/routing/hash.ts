/**
 * MurmurHash3_x86_32 over UTF-8 bytes (DESIGN.md "Assignment"). npm murmurhash3js hashes the
 * low byte of each UTF-16 code unit, so it is fed "binary strings": one char per byte.
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
