/** PSI for categorical features: one bin per category seen in either sample. */
import { countCategories, type Category } from './categories.ts';
import { DEFAULT_PSI_EPSILON, psiFromCounts } from './psi.ts';

export function psiCategorical(
  reference: ArrayLike<Category>,
  current: ArrayLike<Category>,
  epsilon = DEFAULT_PSI_EPSILON,
): number {
  if (reference.length === 0) throw new RangeError('reference must not be empty');
  if (current.length === 0) throw new RangeError('current must not be empty');
  const counts = countCategories(reference, current);
  return psiFromCounts(counts.reference, counts.current, epsilon);
}
