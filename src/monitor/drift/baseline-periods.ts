/**
 * Which stretch of the prediction log a `rolling` or `seasonal` baseline is built from (pure).
 * All arithmetic is in UTC on ms timestamps (stream ids are ms since the epoch): UTC has no
 * daylight-saving shifts, so "the same weekday and hour one week back" is always exactly
 * 7 × 24 h earlier. A route whose season follows local time (a shop's opening hours in
 * Europe/Berlin) sees its seasonal hour move by one hour at the two DST changes of the year;
 * the hour-wide slots make that a one-hour offset, not a different weekday.
 *
 * - rolling: the `days` days before the window that triggered the refresh, rebuilt once the
 *   windows have moved `refresh_ms` past it (or went back before it, as on a replay);
 * - seasonal: for a window starting at T, the hour of T (floored to the UTC hour) in each of
 *   the `weeks` weeks before: [H − p·WEEK, H − p·WEEK + HOUR) for p = 1..weeks.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** A half-open time range [from_ts, to_ts) in ms since the epoch. */
export interface TimeRange {
  from_ts: number;
  to_ts: number;
}

/** Start of the UTC hour holding `ts`. */
export const hourStart = (ts: number): number => Math.floor(ts / HOUR_MS) * HOUR_MS;

/**
 * The UTC hour of the week holding `ts`: index 0 is Monday 00:00-01:00, 167 Sunday 23:00.
 * (1970-01-01, day 0, was a Thursday, so Monday-based weekday = (day + 3) mod 7.)
 */
export function hourOfWeek(ts: number): { index: number; weekday: (typeof WEEKDAYS)[number]; hour: number; label: string } {
  const day = Math.floor(ts / DAY_MS);
  const weekday = (((day + 3) % 7) + 7) % 7;
  const hour = Math.floor((ts - day * DAY_MS) / HOUR_MS);
  const name = WEEKDAYS[weekday];
  return { index: weekday * 24 + hour, weekday: name, hour, label: `${name} ${String(hour).padStart(2, '0')}:00-${String(hour + 1).padStart(2, '0')}:00 UTC` };
}

/** The same UTC weekday and hour as `ts` in each of the `weeks` weeks before it, newest first. */
export function seasonalRanges(ts: number, weeks: number): TimeRange[] {
  const h = hourStart(ts);
  const out: TimeRange[] = [];
  for (let p = 1; p <= weeks; p++) out.push({ from_ts: h - p * WEEK_MS, to_ts: h - p * WEEK_MS + HOUR_MS });
  return out;
}

/** The `days` days before `ts`. */
export const rollingRange = (ts: number, days: number): TimeRange => ({ from_ts: ts - days * DAY_MS, to_ts: ts });

/** Whether a rolling reference built up to `builtTo` (for `days`) must be rebuilt for a window starting at `windowStart`. */
export function rollingDue(built: { to_ts: number; days: number } | null | undefined, windowStart: number, policy: { days: number; refresh_ms: number }): boolean {
  if (!built) return true;
  if (built.days !== policy.days) return true;
  if (windowStart < built.to_ts) return true; // the reference would hold the window itself
  return windowStart - built.to_ts >= policy.refresh_ms;
}

/** One bounded read: XRANGE over [from_ts, to_ts) with COUNT `count`. */
export interface Slice extends TimeRange {
  count: number;
  /** index of the range it was cut from */
  range: number;
}

/**
 * Spreads a read of at most `maxEntries` over `ranges`, each cut into `perRange` equal slices
 * read from their start with an equal COUNT, so a busy hour or day does not crowd the rest
 * out and no read is unbounded. Slices are at least 1 ms wide.
 */
export function sampleSlices(ranges: readonly TimeRange[], maxEntries: number, perRange: number): Slice[] {
  const slices: Omit<Slice, 'count'>[] = [];
  ranges.forEach((r, range) => {
    const width = r.to_ts - r.from_ts;
    if (width <= 0) return;
    const n = Math.max(1, Math.min(perRange, width));
    for (let i = 0; i < n; i++) slices.push({ from_ts: r.from_ts + Math.floor((i * width) / n), to_ts: r.from_ts + Math.floor(((i + 1) * width) / n), range });
  });
  if (slices.length === 0) return [];
  const count = Math.max(1, Math.ceil(maxEntries / slices.length));
  return slices.map((s) => ({ ...s, count }));
}
