/**
 * Categorical samples to aligned count vectors, one slot per category seen in either sample
 * (first-seen order, reference first). Categories are compared with SameValueZero, so the
 * number 1 and the string "1" are different categories.
 */
export type Category = string | number;

export interface CategoryCounts {
  categories: Category[];
  reference: number[];
  current: number[];
}

export function countCategories(reference: ArrayLike<Category>, current: ArrayLike<Category>): CategoryCounts {
  const slots = new Map<Category, number>();
  const referenceCounts: number[] = [];
  const currentCounts: number[] = [];
  const slotOf = (category: Category): number => {
    let slot = slots.get(category);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(category, slot);
      referenceCounts.push(0);
      currentCounts.push(0);
    }
    return slot;
  };
  for (let i = 0; i < reference.length; i++) referenceCounts[slotOf(reference[i])]++;
  for (let i = 0; i < current.length; i++) currentCounts[slotOf(current[i])]++;
  return { categories: [...slots.keys()], reference: referenceCounts, current: currentCounts };
}
