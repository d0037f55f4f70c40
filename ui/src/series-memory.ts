/**
 * Points the page has seen, per key, kept while the tab is open (the drift report and the
 * experiment carry only their latest value; the page draws their course since it was opened).
 */
const memory = new Map<string, Map<number, number | null>>();

/** Records `value` at `x` (a window end or a look time) and returns the course, oldest first. */
export function remember(key: string, x: number, value: number | null): { x: number[]; y: (number | null)[] } {
  let m = memory.get(key);
  if (!m) memory.set(key, (m = new Map()));
  m.set(x, value);
  while (m.size > 200) m.delete(m.keys().next().value as number);
  const xs = [...m.keys()].sort((a, b) => a - b);
  return { x: xs, y: xs.map((k) => m!.get(k) ?? null) };
}
