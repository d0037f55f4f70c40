/**
 * How the unit id appears in a log entry (`log.unit`): `hmac` (default) writes
 * HMAC-SHA256(key, unit bytes) as hex, first 16 characters; `raw` writes the id as UTF-8 text;
 * `omit` writes an empty string. The key is `log.hmac_key` (or MODELGATE_LOG_KEY, applied by the
 * config loader), taken as UTF-8 bytes. Without a key a random per-process key is generated:
 * ids stay private, but entries of different replicas (or restarts) cannot be joined on `unit`,
 * so the caller warns once.
 */
import { createHmac, randomBytes } from 'node:crypto';

export type UnitMode = 'hmac' | 'raw' | 'omit';

export const UNIT_HASH_CHARS = 16;

export interface UnitEncoder {
  /** `unit` is a binary string (one char per byte), or null */
  encode(unit: string | null): string;
  /** true when `hmac` had no configured key and uses a random per-process one */
  readonly ephemeralKey: boolean;
}

export function hmacUnit(key: Buffer, unit: string): string {
  return createHmac('sha256', key).update(unit, 'latin1').digest('hex').slice(0, UNIT_HASH_CHARS);
}

/** Units recur (the same users keep coming): hashes are memoised, up to this many per epoch. */
export const HASH_CACHE_SIZE = 16_384;

export function unitEncoder(mode: UnitMode, key: string | undefined): UnitEncoder {
  if (mode === 'omit') return { encode: () => '', ephemeralKey: false };
  if (mode === 'raw') return { encode: (u) => (u === null ? '' : Buffer.from(u, 'latin1').toString('utf8')), ephemeralKey: false };
  const k = key !== undefined ? Buffer.from(key, 'utf8') : randomBytes(32);
  let cache = new Map<string, string>();
  const encode = (u: string | null): string => {
    if (u === null) return '';
    let h = cache.get(u);
    if (h === undefined) {
      h = hmacUnit(k, u);
      // a bounded memo: when full, start a new one (cheaper than LRU bookkeeping per hit)
      if (cache.size >= HASH_CACHE_SIZE) cache = new Map();
      cache.set(u, h);
    }
    return h;
  };
  return { encode, ephemeralKey: key === undefined };
}
