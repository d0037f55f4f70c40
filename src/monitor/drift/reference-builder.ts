/**
 * Accumulates rows (feature instances and outputs) and builds a variant's references from
 * them: used by `modelgate baseline build` on a training file and by live capture. Pure.
 * A column is numeric when every present value is a finite number, else categorical (numbers
 * then count by their text). Booleans count as categories "true"/"false".
 */
import { binCounts, quantileEdgesSorted } from '../../stats/index.ts';
import type { CategoricalReference, NumericReference, Reference, VariantBaseline } from './baseline.ts';
import { meanStd, sketchSorted } from './bins.ts';

/** Largest reference sample kept for KS and Wasserstein (see bins.ts sketchSorted). */
export const REFERENCE_SAMPLE_MAX = 1000;
export const BINS = 10;

class Column {
  readonly numbers: number[] = [];
  readonly labels: string[] = [];
  add(v: unknown): void {
    if (typeof v === 'number') {
      if (Number.isFinite(v)) this.numbers.push(v);
    } else if (typeof v === 'string') this.labels.push(v);
    else if (typeof v === 'boolean') this.labels.push(String(v));
  }
  get size(): number {
    return this.numbers.length + this.labels.length;
  }
  build(): Reference | null {
    if (this.size === 0) return null;
    if (this.labels.length === 0) return numericReference(this.numbers);
    const counts: Record<string, number> = {};
    for (const x of this.labels) counts[x] = (counts[x] ?? 0) + 1;
    for (const x of this.numbers) counts[String(x)] = (counts[String(x)] ?? 0) + 1;
    return { kind: 'categorical', n: this.size, counts } satisfies CategoricalReference;
  }
}

export function numericReference(values: readonly number[]): NumericReference {
  const sorted = Float64Array.from(values).sort();
  const edges = quantileEdgesSorted(sorted, BINS);
  const { mean, std } = meanStd(sorted);
  return { kind: 'numeric', n: sorted.length, edges, counts: binCounts(sorted, edges), sample: sketchSorted(sorted, REFERENCE_SAMPLE_MAX), mean, std };
}

/** An output as one column value: a number, a label, or the argmax class of a score row. */
export function outputValue(o: unknown): unknown {
  if (Array.isArray(o)) {
    if (o.length === 1) return outputValue(o[0]);
    if (o.length > 1 && o.every((x) => typeof x === 'number')) {
      let best = 0;
      for (let i = 1; i < o.length; i++) if ((o[i] as number) > (o[best] as number)) best = i;
      return `class_${best}`;
    }
    return undefined;
  }
  return o;
}

export class ReferenceBuilder {
  private readonly columns = new Map<string, Column>();
  private readonly output = new Column();
  rows = 0;

  addInstance(instance: Record<string, unknown>): void {
    this.rows++;
    for (const key in instance) {
      let c = this.columns.get(key);
      if (!c) this.columns.set(key, (c = new Column()));
      c.add(instance[key]);
    }
  }

  addOutput(o: unknown): void {
    this.output.add(outputValue(o));
  }

  build(meta: { variant: string; model_version: string; source: VariantBaseline['source']; entries?: number }): Omit<VariantBaseline, 'version'> {
    const features: Record<string, Reference> = {};
    for (const [k, c] of this.columns) {
      const r = c.build();
      if (r) features[k] = r;
    }
    return {
      variant: meta.variant,
      model_version: meta.model_version,
      source: meta.source,
      created_at: new Date().toISOString(),
      entries: meta.entries ?? this.rows,
      features,
      output: this.output.build(),
    };
  }
}
