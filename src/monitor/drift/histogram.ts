/**
 * The histograms behind a column's PSI, as the drift report shows them (pure): the reference's
 * and the current window's counts per bin, so a reader sees what moved, not only how much.
 * - numeric: the reference's decile edges and its counts in the 10 bins they make (the bins
 *   PSI is computed on; a value on an edge goes right, outer bins are open);
 * - categorical: one bin per category seen in either sample, most frequent first (both samples
 *   together, then by name); past `maxCategories` the rarest are folded into one last bin
 *   named OTHER, and `folded` says how many.
 */
export interface ColumnHistogram {
  /** numeric: the reference's edges; bin i holds edges[i-1] <= v < edges[i] */
  edges?: number[];
  /** categorical: the category of each bin */
  categories?: string[];
  /** the reference's count per bin */
  reference: number[];
  /** the current window's count per bin */
  current: number[];
  /** categorical: categories folded into the last bin */
  folded?: number;
}

export const MAX_CATEGORIES = 20;
export const OTHER = '(other)';

export function numericHistogram(edges: readonly number[], reference: readonly number[], current: readonly number[]): ColumnHistogram {
  return { edges: [...edges], reference: [...reference], current: [...current] };
}

export function categoricalHistogram(reference: Readonly<Record<string, number>>, current: ReadonlyMap<string, number>, maxCategories = MAX_CATEGORIES): ColumnHistogram {
  const cats = [...new Set([...Object.keys(reference), ...current.keys()])];
  const total = (c: string) => (reference[c] ?? 0) + (current.get(c) ?? 0);
  cats.sort((a, b) => total(b) - total(a) || (a < b ? -1 : a > b ? 1 : 0));
  const fold = cats.length > maxCategories;
  const kept = fold ? cats.slice(0, maxCategories - 1) : cats;
  const h: ColumnHistogram = { categories: kept, reference: kept.map((c) => reference[c] ?? 0), current: kept.map((c) => current.get(c) ?? 0) };
  if (fold) {
    const rest = cats.slice(maxCategories - 1);
    h.categories!.push(OTHER);
    h.reference.push(rest.reduce((s, c) => s + (reference[c] ?? 0), 0));
    h.current.push(rest.reduce((s, c) => s + (current.get(c) ?? 0), 0));
    h.folded = rest.length;
  }
  return h;
}
