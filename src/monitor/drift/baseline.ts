/**
 * The baseline format (documented in docs/readme/monitor.md "Baselines"). One JSON document per
 * route in `<prefix>:baseline:<route>` holds every variant's reference, a version counter that
 * grows with each change, the default variant (the reference of variants without their own),
 * and the live captures in progress. Pure: types, validation, and small helpers.
 */

export interface NumericReference {
  kind: 'numeric';
  /** values seen (missing and non-finite values excluded) */
  n: number;
  /** 9 decile edges (numpy linear quantiles) of the full reference */
  edges: number[];
  /** counts of the reference in the 10 bins the edges make (a value on an edge goes right) */
  counts: number[];
  /** sorted reference sample for KS and Wasserstein: every value, or evenly spaced quantiles */
  sample: number[];
  mean: number;
  std: number;
}

export interface CategoricalReference {
  kind: 'categorical';
  n: number;
  /** category -> count */
  counts: Record<string, number>;
}

export type Reference = NumericReference | CategoricalReference;

/** The stretch of the prediction log a `rolling` or `seasonal` reference was built from. */
export interface BaselinePeriod {
  mode: 'rolling' | 'seasonal';
  /** the whole span covered: [from_ts, to_ts) in ms */
  from_ts: number;
  to_ts: number;
  /** rolling: days before the window that triggered the build */
  days?: number;
  /** seasonal: weeks back, the UTC hour of the week, and each week's range with its entries */
  weeks?: number;
  hour_of_week?: string;
  /** per week: entries used, where they came from, and for a stored hour the entries it had seen (`seen`) */
  ranges?: { from_ts: number; to_ts: number; entries: number; source: 'stream' | 'aggregate'; seen?: number }[];
}

export interface VariantBaseline {
  variant: string;
  /** the model version label the reference was taken from ('' when unknown) */
  model_version: string;
  source: 'file' | 'capture' | 'rolling' | 'seasonal';
  /** rolling and seasonal references: what they cover */
  period?: BaselinePeriod;
  created_at: string;
  /** rows (file) or entries (capture) the reference was built from */
  entries: number;
  /** the document version that set this variant's baseline */
  version: number;
  features: Record<string, Reference>;
  output: Reference | null;
}

export interface CaptureRequest {
  variant: string;
  entries: number;
  /** stream id: only entries after it are taken */
  after: string;
  requested_at: string;
}

export interface BaselineDoc {
  /** first key on purpose: the compare-and-set script reads it without decoding the rest */
  version: number;
  route: string;
  /** the variant whose baseline serves variants without their own */
  default: string | null;
  variants: Record<string, VariantBaseline>;
  /** live captures in progress, by variant */
  captures: Record<string, CaptureRequest>;
  /** `rolling` mode: the latest reference per window key (`live:v1`, `shadow:v3`), each with its document version */
  rolling?: Record<string, VariantBaseline>;
}

export const emptyBaselineDoc = (route: string): BaselineDoc => ({ version: 0, route, default: null, variants: {}, captures: {} });

/** The reference a variant is judged against: its own, else the route default. */
export function referenceFor(doc: BaselineDoc | null, variant: string): VariantBaseline | null {
  if (!doc) return null;
  return doc.variants[variant] ?? (doc.default ? (doc.variants[doc.default] ?? null) : null);
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNumArray = (x: unknown): x is number[] => Array.isArray(x) && x.every(isNum);

/** Problems with one reference, as "path: message" strings (empty when valid). */
export function checkReference(r: unknown, path: string): string[] {
  if (typeof r !== 'object' || r === null) return [`${path}: expected an object`];
  const o = r as Record<string, unknown>;
  if (o.kind === 'numeric') {
    const out: string[] = [];
    if (!isNumArray(o.edges) || o.edges.length < 1) out.push(`${path}.edges: expected a non-empty array of numbers`);
    if (!isNumArray(o.counts)) out.push(`${path}.counts: expected an array of numbers`);
    else if (isNumArray(o.edges) && o.counts.length !== o.edges.length + 1) out.push(`${path}.counts: expected edges.length + 1 counts`);
    if (!isNumArray(o.sample)) out.push(`${path}.sample: expected an array of numbers`);
    if (!isNum(o.n) || o.n < 1) out.push(`${path}.n: expected a positive count`);
    return out;
  }
  if (o.kind === 'categorical') {
    const c = o.counts;
    if (typeof c !== 'object' || c === null || Array.isArray(c) || !Object.values(c).every(isNum)) return [`${path}.counts: expected an object of category to count`];
    return isNum(o.n) && o.n >= 1 ? [] : [`${path}.n: expected a positive count`];
  }
  return [`${path}.kind: expected "numeric" or "categorical"`];
}

/**
 * Validates an uploaded variant baseline (as `modelgate baseline build` writes it) and returns
 * it normalised (sorted sample, defaults), or the list of problems.
 */
export function checkVariantBaseline(raw: unknown): { ok: true; value: Omit<VariantBaseline, 'version'> } | { ok: false; problems: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problems: ['(root): expected an object'] };
  const o = raw as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof o.features !== 'object' || o.features === null || Array.isArray(o.features)) problems.push('features: expected an object of feature name to reference');
  else for (const [k, v] of Object.entries(o.features)) problems.push(...checkReference(v, `features.${k}`));
  if (o.output !== undefined && o.output !== null) problems.push(...checkReference(o.output, 'output'));
  if (problems.length) return { ok: false, problems };
  const features = o.features as Record<string, Reference>;
  for (const r of Object.values(features)) if (r.kind === 'numeric') r.sample = [...r.sample].sort((a, b) => a - b);
  const output = (o.output ?? null) as Reference | null;
  if (output?.kind === 'numeric') output.sample = [...output.sample].sort((a, b) => a - b);
  return {
    ok: true,
    value: {
      variant: typeof o.variant === 'string' ? o.variant : '',
      model_version: typeof o.model_version === 'string' ? o.model_version : '',
      source: o.source === 'capture' ? 'capture' : 'file',
      created_at: typeof o.created_at === 'string' ? o.created_at : new Date().toISOString(),
      entries: isNum(o.entries) ? o.entries : 0,
      features,
      output,
    },
  };
}
