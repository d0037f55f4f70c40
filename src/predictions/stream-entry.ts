/**
 * The extra fields of a streamed answer's log entry (pure): `streamed`, `ttfb_ms`, `bytes`
 * and `body`, the answer's first bytes as UTF-8 text, cut to what room the entry has left
 * (`body` named in `truncated` when cut).
 */
import type { StreamStats } from './record.ts';
import { FIELDS as F } from './schema.ts';

/** Appends the fields to XADD args; returns their size in bytes. */
export function streamFields(args: string[], s: StreamStats, head: Buffer | undefined, room: number, marks: string[]): number {
  let body = head ?? Buffer.alloc(0);
  const keep = Math.max(0, room - 64);
  if (body.length > keep || body.length < s.bytes) marks.push('body');
  if (body.length > keep) body = body.subarray(0, keep);
  const text = body.toString('utf8');
  const ttfb = s.ttfbMs.toFixed(3);
  const bytes = String(s.bytes);
  args.push(F.streamed, '1', F.ttfbMs, ttfb, F.bytes, bytes, F.body, text);
  return F.streamed.length + 1 + F.ttfbMs.length + ttfb.length + F.bytes.length + bytes.length + F.body.length + Buffer.byteLength(text);
}
