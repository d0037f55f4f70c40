/**
 * Chi-squared test of homogeneity on a 2×k table (reference counts vs current counts), as
 * scipy.stats.chi2_contingency(table, correction=False) after dropping the categories that
 * are empty in both rows.
 */
import { countCategories, type Category } from './categories.ts';
import { chi2Sf } from './distributions.ts';
import { assertCounts } from './sorting.ts';

export interface Chi2Result {
  statistic: number;
  dof: number;
  pvalue: number;
}

/**
 * Pearson's statistic Σ (o - e)²/e with e = row total · column total / grand total, and
 * dof = k - 1 over the non-empty categories. With a single non-empty category scipy's
 * degenerate answer is returned (statistic 0, dof 0, p 1). When one whole row is empty the
 * expected counts are 0 and the test is undefined: scipy raises, this returns NaN statistic
 * and p-value so a monitor can report "no data" without a try/catch.
 */
export function chi2Contingency(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): Chi2Result {
  const k = referenceCounts.length;
  if (currentCounts.length !== k) throw new RangeError('referenceCounts and currentCounts differ in length');
  assertCounts(referenceCounts, 'referenceCounts');
  assertCounts(currentCounts, 'currentCounts');
  let referenceTotal = 0;
  let currentTotal = 0;
  let columns = 0;
  for (let i = 0; i < k; i++) {
    referenceTotal += referenceCounts[i];
    currentTotal += currentCounts[i];
    if (referenceCounts[i] + currentCounts[i] > 0) columns++;
  }
  const dof = Math.max(columns - 1, 0);
  if (referenceTotal === 0 || currentTotal === 0) return { statistic: Number.NaN, dof, pvalue: Number.NaN };
  if (dof === 0) return { statistic: 0, dof: 0, pvalue: 1 };
  const grandTotal = referenceTotal + currentTotal;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const column = referenceCounts[i] + currentCounts[i];
    if (column === 0) continue;
    const expectedReference = (referenceTotal * column) / grandTotal;
    const expectedCurrent = (currentTotal * column) / grandTotal;
    const dr = referenceCounts[i] - expectedReference;
    const dc = currentCounts[i] - expectedCurrent;
    statistic += (dr * dr) / expectedReference + (dc * dc) / expectedCurrent;
  }
  return { statistic, dof, pvalue: chi2Sf(statistic, dof) };
}

/** chi2Contingency on category counts of two categorical samples. */
export function chi2Categorical(reference: ArrayLike<Category>, current: ArrayLike<Category>): Chi2Result {
  const counts = countCategories(reference, current);
  return chi2Contingency(counts.reference, counts.current);
}
