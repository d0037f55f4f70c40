/**
 * Tumbling windows per (role, variant), closed by count (`maxEntries`) and/or time
 * (`maxMs`, measured on entry timestamps, and on the wall clock when the stream is idle).
 * Pure: the route worker feeds entries in stream order and gets closed windows back.
 */
import type { LogEntry } from '../../predictions/schema.ts';

export interface Window {
  /** `live:<variant>` or `shadow:<name>` */
  readonly key: string;
  readonly role: 'live' | 'shadow';
  readonly variant: string;
  /** in stream order */
  readonly entries: LogEntry[];
  readonly startTs: number;
  endTs: number;
  closedBy?: 'count' | 'time';
}

export interface WindowOptions {
  /** 0 = no count limit */
  maxEntries: number;
  /** 0 = no time limit */
  maxMs: number;
}

export const windowKey = (role: 'live' | 'shadow', variant: string): string => `${role}:${variant}`;

export class TumblingWindows {
  private readonly open = new Map<string, Window>();
  constructor(private readonly opts: WindowOptions) {
    if (opts.maxEntries <= 0 && opts.maxMs <= 0) throw new Error('windows need a count or a time limit');
  }

  /** Adds one entry; returns the windows this closed (at most two: one by time, one by count). */
  add(e: LogEntry): Window[] {
    const key = windowKey(e.role, e.variant);
    const closed: Window[] = [];
    let w = this.open.get(key);
    if (w && this.opts.maxMs > 0 && e.ts >= w.startTs + this.opts.maxMs) {
      closed.push(this.close(w, 'time'));
      w = undefined;
    }
    if (!w) {
      w = { key, role: e.role, variant: e.variant, entries: [], startTs: e.ts, endTs: e.ts };
      this.open.set(key, w);
    }
    w.entries.push(e);
    if (e.ts > w.endTs) w.endTs = e.ts;
    if (this.opts.maxEntries > 0 && w.entries.length >= this.opts.maxEntries) closed.push(this.close(w, 'count'));
    return closed;
  }

  /** Closes windows older than maxMs at wall-clock `now` (call only when caught up). */
  tick(now: number): Window[] {
    if (this.opts.maxMs <= 0) return [];
    const closed: Window[] = [];
    for (const w of [...this.open.values()]) if (now >= w.startTs + this.opts.maxMs) closed.push(this.close(w, 'time'));
    return closed;
  }

  /** Entries held in open windows. */
  get held(): number {
    let n = 0;
    for (const w of this.open.values()) n += w.entries.length;
    return n;
  }

  openWindows(): Iterable<Window> {
    return this.open.values();
  }

  private close(w: Window, by: 'count' | 'time'): Window {
    this.open.delete(w.key);
    w.closedBy = by;
    return w;
  }
}
