/**
 * A window's entries turned into columns (one per reference feature, plus the output), ready
 * for the tests. Only the features the reference knows are kept. Pure.
 */
import { entryInstances, entryOutputs, type LogEntry } from '../../predictions/schema.ts';
import type { Reference, VariantBaseline } from './baseline.ts';
import { outputValue } from './reference-builder.ts';

export interface NumericColumn {
  kind: 'numeric';
  /** ascending */
  sorted: Float64Array;
  missing: number;
}

export interface CategoricalColumn {
  kind: 'categorical';
  counts: Map<string, number>;
  n: number;
  missing: number;
}

export type Column = NumericColumn | CategoricalColumn;

export interface WindowColumns {
  entries: number;
  instances: number;
  features: Map<string, Column>;
  output: Column | null;
}

class Collector {
  private readonly nums: number[] = [];
  private readonly labels = new Map<string, number>();
  private labelCount = 0;
  missing = 0;
  constructor(private readonly kind: Reference['kind']) {}
  add(v: unknown): void {
    if (this.kind === 'numeric') {
      if (typeof v === 'number' && Number.isFinite(v)) this.nums.push(v);
      else this.missing++;
      return;
    }
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      const k = String(v);
      this.labels.set(k, (this.labels.get(k) ?? 0) + 1);
      this.labelCount++;
    } else this.missing++;
  }
  build(): Column {
    if (this.kind === 'numeric') return { kind: 'numeric', sorted: Float64Array.from(this.nums).sort(), missing: this.missing };
    return { kind: 'categorical', counts: this.labels, n: this.labelCount, missing: this.missing };
  }
}

export function windowColumns(entries: readonly LogEntry[], ref: VariantBaseline): WindowColumns {
  const names = Object.keys(ref.features);
  const collectors = names.map((k) => new Collector(ref.features[k].kind));
  const out = ref.output ? new Collector(ref.output.kind) : null;
  let instances = 0;
  for (const e of entries) {
    const inst = entryInstances(e);
    instances += inst.length;
    for (const row of inst) for (let i = 0; i < names.length; i++) collectors[i].add(row[names[i]]);
    if (out) for (const o of entryOutputs(e)) out.add(outputValue(o));
  }
  const features = new Map<string, Column>();
  names.forEach((k, i) => features.set(k, collectors[i].build()));
  return { entries: entries.length, instances, features, output: out ? out.build() : null };
}
