/**
 * A canary plan (DESIGN.md "Admin API"): which variant is the canary, which the stable one,
 * the steps (canary percent), how long each step lasts at least, and the checks, each with
 * an action. Pure: validation reports every problem at once, with its path.
 */
import type { RouteConfig } from '../../config/schema.ts';
import type { Problem } from '../../config/validate.ts';

export type CheckAction = 'warn' | 'hold' | 'rollback';
export const CHECK_ACTIONS: readonly CheckAction[] = ['warn', 'hold', 'rollback'];

export interface ErrorRateCheck {
  /** ceiling on the canary's 5xx share (0..1) */
  max?: number;
  /** ceiling on canary share / stable share */
  max_relative?: number;
  /** the stable share is taken as at least this in the relative check (default 0.01) */
  floor?: number;
  action: CheckAction;
}

export interface LatencyCheck {
  max_ms?: number;
  max_relative?: number;
  /** the stable p99 is taken as at least this in the relative check (default 10 ms) */
  floor_ms?: number;
  /** requests per arm before a p99 means anything (default 100: below, p99 is the maximum) */
  min_requests?: number;
  action: CheckAction;
}

export interface PsiCheck {
  /** PSI ceiling (canary outputs against stable outputs of the same window) */
  max: number;
  action: CheckAction;
}

export interface FeatureDriftCheck {
  /** highest feature status tolerated in the drift report of the canary (default moderate) */
  max_status?: 'stable' | 'moderate';
  action: CheckAction;
}

export interface SrmCheck {
  /** p-value threshold (default monitor.srm_alpha, 0.001) */
  alpha?: number;
  action: CheckAction;
}

export interface CanaryChecks {
  error_rate?: ErrorRateCheck;
  latency_p99?: LatencyCheck;
  output_psi?: PsiCheck;
  feature_drift?: FeatureDriftCheck;
  srm?: SrmCheck;
}

export interface CanaryPlan {
  canary: string;
  stable: string;
  /** canary percent per step, increasing, the last one usually 100 */
  steps: number[];
  step_min_ms: number;
  step_min_requests: number;
  /** canary entries (and stable entries, for relative checks) a window needs for a verdict */
  min_window_requests?: number;
  checks: CanaryChecks;
}

/** The checks a plan gets when it names none. */
export const DEFAULT_CHECKS: CanaryChecks = {
  error_rate: { max: 0.05, max_relative: 2, action: 'rollback' },
  latency_p99: { max_relative: 1.5, action: 'rollback' },
  output_psi: { max: 0.2, action: 'hold' },
  srm: { action: 'warn' },
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const twoDecimals = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-7;

type Field = { key: string; min: number; max?: number; integer?: boolean };

const CHECK_FIELDS: Record<keyof CanaryChecks, Field[]> = {
  error_rate: [{ key: 'max', min: 0, max: 1 }, { key: 'max_relative', min: 0 }, { key: 'floor', min: 0, max: 1 }],
  latency_p99: [{ key: 'max_ms', min: 0 }, { key: 'max_relative', min: 0 }, { key: 'floor_ms', min: 0 }, { key: 'min_requests', min: 1 }],
  output_psi: [{ key: 'max', min: 0 }],
  feature_drift: [],
  srm: [{ key: 'alpha', min: 0, max: 1 }],
};

function checkProblems(raw: unknown, p: Problem[]): CanaryChecks {
  if (raw === undefined) return structuredClone(DEFAULT_CHECKS);
  if (!isObj(raw)) {
    p.push({ path: 'checks', message: 'expected an object of check name to settings' });
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [name, body] of Object.entries(raw)) {
    const fields = CHECK_FIELDS[name as keyof CanaryChecks];
    if (!fields) {
      p.push({ path: `checks.${name}`, message: `unknown check (known: ${Object.keys(CHECK_FIELDS).join(', ')})` });
      continue;
    }
    if (!isObj(body)) {
      p.push({ path: `checks.${name}`, message: 'expected an object' });
      continue;
    }
    const action = body.action ?? (name === 'srm' || name === 'feature_drift' ? 'warn' : 'rollback');
    if (!CHECK_ACTIONS.includes(action as CheckAction)) p.push({ path: `checks.${name}.action`, message: 'expected warn, hold or rollback' });
    const known = new Set(['action', 'max_status', ...fields.map((f) => f.key)]);
    for (const k of Object.keys(body)) if (!known.has(k)) p.push({ path: `checks.${name}.${k}`, message: 'unknown setting' });
    for (const f of fields) {
      const v = body[f.key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < f.min || (f.max !== undefined && v > f.max)) p.push({ path: `checks.${name}.${f.key}`, message: `expected a number ${f.min}..${f.max ?? '∞'}` });
    }
    if (name === 'output_psi' && body.max === undefined) p.push({ path: 'checks.output_psi.max', message: 'required' });
    if (name === 'feature_drift' && body.max_status !== undefined && body.max_status !== 'stable' && body.max_status !== 'moderate') p.push({ path: 'checks.feature_drift.max_status', message: 'expected stable or moderate' });
    if ((name === 'error_rate' && body.max === undefined && body.max_relative === undefined) || (name === 'latency_p99' && body.max_ms === undefined && body.max_relative === undefined))
      p.push({ path: `checks.${name}`, message: 'give at least an absolute or a relative limit' });
    out[name] = { ...body, action };
  }
  return out as CanaryChecks;
}

function intField(raw: Record<string, unknown>, key: string, dflt: number, min: number, p: Problem[]): number {
  const v = raw[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) p.push({ path: key, message: `expected an integer >= ${min}` });
  return v as number;
}

/** Percent the other variants of the route (neither canary nor stable) hold; they keep it. */
export function othersWeight(route: RouteConfig, plan: Pick<CanaryPlan, 'canary' | 'stable'>): number {
  return route.variants.filter((v) => v.name !== plan.canary && v.name !== plan.stable).reduce((s, v) => s + Math.round(v.weight * 100), 0) / 100;
}

/** Validates a plan against the route it will run on; every problem at once. */
export function parsePlan(raw: unknown, route: RouteConfig): { ok: true; plan: CanaryPlan } | { ok: false; problems: Problem[] } {
  const p: Problem[] = [];
  if (!isObj(raw)) return { ok: false, problems: [{ path: '(root)', message: 'expected a JSON object like {"canary":"v2","stable":"v1","steps":[5,25,50,100]}' }] };
  const names = route.variants.map((v) => v.name);
  for (const k of ['canary', 'stable'] as const) {
    if (typeof raw[k] !== 'string' || !names.includes(raw[k] as string)) p.push({ path: k, message: `expected a variant of the route (${names.join(', ')})` });
  }
  if (raw.canary === raw.stable && typeof raw.canary === 'string') p.push({ path: 'stable', message: 'the stable variant must differ from the canary' });
  const known = new Set(['canary', 'stable', 'steps', 'step_min_ms', 'step_min_requests', 'min_window_requests', 'checks']);
  for (const k of Object.keys(raw)) if (!known.has(k)) p.push({ path: k, message: 'unknown key' });
  const others = othersWeight(route, { canary: String(raw.canary), stable: String(raw.stable) });
  const steps = raw.steps;
  if (!Array.isArray(steps) || steps.length === 0) p.push({ path: 'steps', message: 'expected a non-empty list of canary percents, e.g. [5, 25, 50, 100]' });
  else
    steps.forEach((s, i) => {
      if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0 || s > 100 || !twoDecimals(s)) p.push({ path: `steps[${i}]`, message: 'expected a percent in (0, 100] with at most two decimals' });
      else if (i > 0 && typeof steps[i - 1] === 'number' && s <= (steps[i - 1] as number)) p.push({ path: `steps[${i}]`, message: 'steps must increase' });
      else if (s > 100 - others + 1e-9) p.push({ path: `steps[${i}]`, message: `the other variants hold ${others}%: the canary can reach at most ${100 - others}%` });
    });
  const step_min_ms = intField(raw, 'step_min_ms', 60_000, 0, p);
  const step_min_requests = intField(raw, 'step_min_requests', 500, 0, p);
  const plan: CanaryPlan = { canary: raw.canary as string, stable: raw.stable as string, steps: steps as number[], step_min_ms, step_min_requests, checks: checkProblems(raw.checks, p) };
  if (raw.min_window_requests !== undefined) plan.min_window_requests = intField(raw, 'min_window_requests', 0, 1, p);
  return p.length ? { ok: false, problems: p } : { ok: true, plan };
}

/** The route's weights with the canary at `percent`, the stable variant taking the rest. */
export function weightsAt(route: RouteConfig, plan: Pick<CanaryPlan, 'canary' | 'stable'>, percent: number): Record<string, number> {
  const out: Record<string, number> = {};
  const rest = Math.round((100 - othersWeight(route, plan) - percent) * 100) / 100;
  for (const v of route.variants) out[v.name] = v.name === plan.canary ? percent : v.name === plan.stable ? rest : v.weight;
  return out;
}

/** The most the canary can hold on this route (100 minus the other variants). */
export const fullWeight = (route: RouteConfig, plan: Pick<CanaryPlan, 'canary' | 'stable'>): number => Math.round((100 - othersWeight(route, plan)) * 100) / 100;
