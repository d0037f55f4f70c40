/**
 * Features and predictions out of request and response bodies (DESIGN.md "Prediction log"),
 * pure. KServe V1 `instances`/`predictions`, Open Inference Protocol V2 `inputs`/`outputs`
 * (by tensor name), or any JSON shape through the route's `extract` JSON pointers.
 * Every function reads at most `max` instances of at most `maxFeatures` features each (the
 * rest are left out and the widest instance's feature count noted in `cut`), so a huge body
 * costs bounded work.
 */
import { getPointer, parsePointer } from '../routing/json-pointer.ts';
import type { CompiledRoute } from '../routing/compile.ts';
import type { Protocol } from './record.ts';
import { binaryTensorSummary } from './binary-tensors.ts';
import { openaiPredictions } from './openai-output.ts';

export type Instance = Record<string, unknown>;

/** Filled in when an instance had more than `maxFeatures` features: the most any one had. */
export interface FeatureCut {
  widest: number;
}

const noteCut = (cut: FeatureCut | undefined, total: number) => {
  if (cut && total > cut.widest) cut.widest = total;
};

/** What extraction needs from a route, compiled once per route object. */
export interface ExtractPlan {
  readonly names: readonly string[];
  readonly features?: readonly string[];
  readonly predictions?: readonly string[];
}

const plans = new WeakMap<CompiledRoute, ExtractPlan>();

export function planFor(route: CompiledRoute): ExtractPlan {
  let p = plans.get(route);
  if (!p) {
    const x = route.config.extract;
    p = { names: route.features ?? [], features: pointer(x?.features), predictions: pointer(x?.predictions) };
    plans.set(route, p);
  }
  return p;
}

function pointer(s: string | undefined): string[] | undefined {
  if (s === undefined) return undefined;
  try {
    return parsePointer(s);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A positional row takes the route's feature names, else f0, f1, ...; an object stays as is. */
export function toInstance(row: unknown, names: readonly string[], maxFeatures = Infinity, cut?: FeatureCut): Instance {
  if (Array.isArray(row)) {
    const o: Instance = {};
    const n = Math.min(row.length, maxFeatures);
    for (let i = 0; i < n; i++) o[names[i] ?? `f${i}`] = row[i];
    if (row.length > n) noteCut(cut, row.length);
    return o;
  }
  if (isObject(row)) return maxFeatures === Infinity ? row : capObject(row, maxFeatures, cut);
  return { [names[0] ?? 'f0']: row };
}

/** The object itself when it has at most `max` keys, else its first `max` keys. */
function capObject(row: Instance, max: number, cut: FeatureCut | undefined): Instance {
  let total = 0;
  for (const k in row) if (Object.prototype.hasOwnProperty.call(row, k)) total++;
  if (total <= max) return row;
  noteCut(cut, total);
  const o: Instance = {};
  let n = 0;
  for (const k in row) {
    if (n >= max) break;
    if (!Object.prototype.hasOwnProperty.call(row, k)) continue;
    o[k] = row[k];
    n++;
  }
  return o;
}

function rows(list: unknown, names: readonly string[], max: number, maxFeatures: number, cut?: FeatureCut): Instance[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return [toInstance(list, names, maxFeatures, cut)];
  const n = Math.min(list.length, max);
  const out = new Array<Instance>(n);
  for (let i = 0; i < n; i++) out[i] = toInstance(list[i], names, maxFeatures, cut);
  return out;
}

const asList = (v: unknown, max: number): unknown[] => (v === undefined ? [] : Array.isArray(v) ? (v.length > max ? v.slice(0, max) : v) : [v]);

interface Tensor {
  name: string;
  rows: number;
  k: number;
  data: unknown[];
}

/** A V2 tensor as rows x k values: shape [batch, ...] gives k = product of the rest. */
function tensor(t: unknown, i: number, fallback: string): Tensor | undefined {
  if (!isObject(t)) return undefined;
  if (!Array.isArray(t.data)) {
    // binary data: one row holding its shape and datatype
    const b = binaryTensorSummary(t);
    return b ? { name: typeof t.name === 'string' ? t.name : `${fallback}${i}`, rows: 1, k: 1, data: [b] } : undefined;
  }
  const data = (t.data as unknown[]).flat(Infinity);
  const shape = Array.isArray(t.shape) ? (t.shape as unknown[]).map(Number) : undefined;
  let r = 1;
  let k = data.length;
  if (shape && shape.length > 0 && shape.every((d) => Number.isInteger(d) && d >= 0)) {
    r = shape[0];
    k = shape.slice(1).reduce((a, b) => a * b, 1);
  }
  if (k === 0) r = 0;
  else if (r * k > data.length) r = Math.floor(data.length / k);
  return { name: typeof t.name === 'string' ? t.name : `${fallback}${i}`, rows: r, k, data };
}

function tensors(list: unknown, fallback: string): Tensor[] {
  if (!Array.isArray(list)) return [];
  const out: Tensor[] = [];
  list.forEach((t, i) => {
    const x = tensor(t, i, fallback);
    if (x) out.push(x);
  });
  return out;
}

/** V2 inputs: tensor `x` of shape [batch, k] gives x_0 .. x_{k-1} (just `x` when k = 1). */
export function v2Features(request: unknown, max: number, maxFeatures = Infinity, cut?: FeatureCut): Instance[] {
  const ts = tensors(isObject(request) ? request.inputs : undefined, 'input');
  const n = Math.min(max, ts.reduce((m, t) => Math.max(m, t.rows), 0));
  const out: Instance[] = [];
  for (let r = 0; r < n; r++) {
    const o: Instance = {};
    let left = maxFeatures;
    let total = 0;
    for (const t of ts) {
      if (r >= t.rows) continue;
      total += t.k;
      if (t.k === 1) {
        if (left-- > 0) o[t.name] = t.data[r];
      } else for (let j = 0; j < t.k && left > 0; j++, left--) o[`${t.name}_${j}`] = t.data[r * t.k + j];
    }
    if (total > maxFeatures) noteCut(cut, total);
    out.push(o);
  }
  return out;
}

const rowOf = (t: Tensor, r: number): unknown => (t.k === 1 ? t.data[r] : t.data.slice(r * t.k, r * t.k + t.k));

/** V2 outputs: the row (a number when k = 1), or an object by output name when several. */
export function v2Predictions(response: unknown, max: number): unknown[] {
  const ts = tensors(isObject(response) ? response.outputs : undefined, 'output');
  const n = Math.min(max, ts.reduce((m, t) => Math.max(m, t.rows), 0));
  const out: unknown[] = [];
  for (let r = 0; r < n; r++) {
    if (ts.length === 1) out.push(rowOf(ts[0], r));
    else {
      const o: Instance = {};
      for (const t of ts) if (r < t.rows) o[t.name] = rowOf(t, r);
      out.push(o);
    }
  }
  return out;
}

export function v1Features(request: unknown, names: readonly string[], max: number, maxFeatures = Infinity, cut?: FeatureCut): Instance[] {
  if (!isObject(request)) return [];
  return rows(request.instances ?? request.inputs, names, max, maxFeatures, cut);
}

export function v1Predictions(response: unknown, max: number): unknown[] {
  if (!isObject(response)) return [];
  return asList(response.predictions ?? response.outputs, max);
}

export function extractFeatures(protocol: Protocol, request: unknown, plan: ExtractPlan, max: number, maxFeatures = Infinity, cut?: FeatureCut): Instance[] {
  if (plan.features) return rows(getPointer(request, plan.features), plan.names, max, maxFeatures, cut);
  if (protocol === 'openai') return [];
  return protocol === 'v1' ? v1Features(request, plan.names, max, maxFeatures, cut) : v2Features(request, max, maxFeatures, cut);
}

export function extractPredictions(protocol: Protocol, response: unknown, plan: ExtractPlan, max: number): unknown[] {
  if (plan.predictions) return asList(getPointer(response, plan.predictions), max);
  if (protocol === 'openai') return openaiPredictions(response, max);
  return protocol === 'v1' ? v1Predictions(response, max) : v2Predictions(response, max);
}
