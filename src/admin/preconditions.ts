/**
 * If-Match on writes (DESIGN.md "Admin API"): exactly `"<version>"`. Missing -> 428;
 * `*` -> 428 (a blind write is not accepted); anything else that is not the current strong
 * tag -> 412. The store's compare-and-set makes the final check atomically.
 */
import { ModelgateError } from '../errors.ts';

/** The version the client claims, or throws the matching precondition error. */
export function expectedVersion(ifMatch: string | undefined, current: number): number {
  if (ifMatch === undefined || ifMatch.trim() === '') throw new ModelgateError('PRECONDITION_REQUIRED', `send If-Match: "${current}" (the current config version; read it from the ETag)`);
  const v = ifMatch.trim();
  if (v === '*') throw new ModelgateError('PRECONDITION_REQUIRED', `If-Match: * is not accepted; send If-Match: "${current}"`);
  const m = /^"(\d{1,15})"$/.exec(v);
  if (!m) throw new ModelgateError('PRECONDITION_FAILED', `If-Match must be one strong tag like "${current}"`);
  return Number(m[1]);
}
