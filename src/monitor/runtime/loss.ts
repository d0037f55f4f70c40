/**
 * Loss by trimming (RELIABILITY.md: `XADD ... MAXLEN ~` drops entries the group never read).
 * From one consistent snapshot of XINFO STREAM and XINFO GROUPS: when the stream's first
 * entry lies beyond the group's last delivered id, every entry between them is gone, and
 * their number is entries-added - entries-read - length. Redis 7.0 does not correct the
 * group's counters after such a trim, so the caller moves entries-read forward by the loss
 * once it is reported (XGROUP SETID ... ENTRIESREAD), and the same gap is never counted twice.
 * Pure.
 */
import { compareIds } from '../../predictions/schema.ts';

export interface StreamInfo {
  length: number;
  entriesAdded: number;
  firstId: string | null;
  lastGeneratedId: string;
}

export interface GroupInfo {
  lastDeliveredId: string;
  entriesRead: number | null;
  pending: number;
}

export function trimmedUnread(s: StreamInfo, g: GroupInfo): number {
  if (g.entriesRead === null) return 0;
  const unreadAdded = s.entriesAdded - g.entriesRead;
  if (unreadAdded <= 0) return 0;
  if (s.firstId !== null && compareIds(s.firstId, g.lastDeliveredId) <= 0) return 0;
  return Math.max(0, unreadAdded - s.length);
}

/** Entries added to the stream and not yet delivered to the group. */
export function groupLag(s: StreamInfo, g: GroupInfo): number {
  if (g.entriesRead === null) return s.length;
  return Math.max(0, s.entriesAdded - g.entriesRead - trimmedUnread(s, g));
}

/** Parses a flat XINFO reply (name, value, name, value ...) into an object. */
export function flatToObject(flat: unknown): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (!Array.isArray(flat)) return o;
  for (let i = 0; i + 1 < flat.length; i += 2) o[String(flat[i])] = flat[i + 1];
  return o;
}

export function parseStreamInfo(flat: unknown): StreamInfo {
  const o = flatToObject(flat);
  const first = o['first-entry'];
  return {
    length: Number(o.length ?? 0),
    entriesAdded: Number(o['entries-added'] ?? o.length ?? 0),
    firstId: Array.isArray(first) && typeof first[0] === 'string' ? first[0] : null,
    lastGeneratedId: String(o['last-generated-id'] ?? '0-0'),
  };
}

export function parseGroupInfo(flat: unknown, group: string): GroupInfo | null {
  if (!Array.isArray(flat)) return null;
  for (const g of flat) {
    const o = flatToObject(g);
    if (o.name !== group) continue;
    const er = o['entries-read'];
    return {
      lastDeliveredId: String(o['last-delivered-id'] ?? '0-0'),
      entriesRead: er === null || er === undefined ? null : Number(er),
      pending: Number(o.pending ?? 0),
    };
  }
  return null;
}
