export { bonferroni } from './bonferroni.ts';
export { countCategories, type Category, type CategoryCounts } from './categories.ts';
export { chi2Categorical, chi2Contingency, type Chi2Result } from './chi2.ts';
export { chi2Sf, normalQuantile } from './distributions.ts';
export { regularizedGammaQ } from './gamma-q.ts';
export { jensenShannonDistance } from './jensen-shannon.ts';
export { ks2samp, ks2sampSorted, ksStatisticSorted, type KsResult } from './ks-2samp.ts';
export { kstwoSf } from './kstwo.ts';
export { msprtPValues } from './msprt.ts';
export { psiCategorical } from './psi-categorical.ts';
export {
  DEFAULT_PSI_EPSILON,
  psi,
  psiFromCounts,
  psiLevel,
  type PsiLevel,
  type PsiOptions,
  type PsiThresholds,
} from './psi.ts';
export { binCounts, binIndex, quantileEdges, quantileEdgesSorted, quantileSorted } from './quantile.ts';
export { sampleSizeTwoProportions } from './sample-size.ts';
export { smirnovSf } from './smirnov.ts';
export { sortedCopy } from './sorting.ts';
export { srmAlarm, srmTest, type SrmAlarmOptions, type SrmResult } from './srm.ts';
export { normalizedWasserstein, wasserstein1, wasserstein1Sorted } from './wasserstein.ts';
