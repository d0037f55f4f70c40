/**
 * Histogram children that add observations up in plain arrays and hand them to prom-client
 * when the metric is read (its `collect` hook, before every scrape and worker aggregation).
 * A prom-client child's observe() builds and hashes its label object on every call (about 1 %
 * of a split's CPU, bench/profiles/); here an observation is a bucket search and three adds.
 * The exported series are exactly those of prom-client's own observe() (pending-histogram.test.ts).
 */
import type { Histogram } from 'prom-client';
import { PendingList } from './pending-list.ts';

/** prom-client's per-series state (lib/histogram.js): what observe() itself updates */
interface SeriesState {
  labels: Record<string, string | number>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}
type WithState = { hashMap: Record<string, SeriesState> };

export class PendingHistogram {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;
  private dirty = false;
  private state: SeriesState | undefined;
  private stateMap: Record<string, SeriesState> | undefined;

  constructor(
    private readonly metric: Histogram,
    private readonly labels: Record<string, string>,
    private readonly bounds: readonly number[],
    private readonly onDirty: (p: PendingHistogram) => void,
  ) {
    this.counts = new Float64Array(bounds.length);
    metric.zero(labels);
  }

  observe(v: number): void {
    if (!Number.isFinite(v)) return;
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]) i++;
    // above the last bound: counted in +Inf (count) only, as prom-client does
    if (i < b.length) this.counts[i]++;
    this.sum += v;
    this.count++;
    if (!this.dirty) {
      this.dirty = true;
      this.onDirty(this);
    }
  }

  /** adds what was observed since the last flush to prom-client's series */
  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const s = this.series();
    for (let i = 0; i < this.bounds.length; i++) {
      if (this.counts[i] !== 0) s.bucketValues[this.bounds[i]] += this.counts[i];
      this.counts[i] = 0;
    }
    s.sum += this.sum;
    s.count += this.count;
    this.sum = 0;
    this.count = 0;
  }

  /** the series' state object, found again after a reset of the metric */
  private series(): SeriesState {
    const map = (this.metric as unknown as WithState).hashMap;
    if (this.state && this.stateMap === map && Object.values(map).includes(this.state)) return this.state;
    let found = this.find(map);
    if (!found) {
      this.metric.zero(this.labels);
      found = this.find((this.metric as unknown as WithState).hashMap);
    }
    if (!found) throw new Error(`histogram ${(this.metric as unknown as { name: string }).name}: no series for ${JSON.stringify(this.labels)}`);
    this.state = found;
    this.stateMap = (this.metric as unknown as WithState).hashMap;
    return found;
  }

  private find(map: Record<string, SeriesState>): SeriesState | undefined {
    const names = Object.keys(this.labels);
    for (const s of Object.values(map)) if (names.every((n) => String(s.labels[n]) === this.labels[n])) return s;
    return undefined;
  }
}

/** The pending histograms of a set of metrics: flush() applies them all. */
export class PendingHistograms extends PendingList<PendingHistogram> {}
