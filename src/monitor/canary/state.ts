/**
 * The canary plan's state as kept in `<prefix>:canary:<route>` (one JSON document) and its
 * manual transitions (start, pause, resume, promote, abort). Pure: the admin routes and the
 * controller persist the documents these functions return.
 */
import type { CheckResult } from './checks.ts';
import type { CanaryPlan } from './plan.ts';
import { CanaryConflict } from '../../errors.ts';

export type CanaryStateName = 'progressing' | 'paused' | 'holding' | 'promoted' | 'rolled_back' | 'aborted';
export const CANARY_STATES: readonly CanaryStateName[] = ['progressing', 'paused', 'holding', 'promoted', 'rolled_back', 'aborted'];
export const TERMINAL_STATES: ReadonlySet<CanaryStateName> = new Set(['promoted', 'rolled_back', 'aborted']);
export const isActive = (d: Pick<CanaryDoc, 'state'>): boolean => !TERMINAL_STATES.has(d.state);

export interface CanaryHistoryItem {
  at: number;
  from: CanaryStateName | null;
  to: CanaryStateName;
  step: number;
  weight: number;
  reason: string | null;
  /** `canary` (the controller) or the admin token name */
  by: string;
}

export interface WindowSummary {
  start_ts: number;
  end_ts: number;
  canary: { requests: number; errors: number; error_rate: number; p99_ms: number | null };
  stable: { requests: number; errors: number; error_rate: number; p99_ms: number | null };
  checks: CheckResult[];
}

export interface CanaryDoc {
  route: string;
  plan: CanaryPlan;
  state: CanaryStateName;
  /** 0-based index into plan.steps */
  step: number;
  /** the canary's percent now */
  weight: number;
  reason: string | null;
  started_at: number;
  started_by: string;
  updated_at: number;
  step_started_at: number;
  /** the config version that applied `weight`; entries routed by older versions do not count for the step */
  config_version: number | null;
  /** canary requests counted in this step so far (as the controller last saw them) */
  step_requests: number;
  /** the rollback check that breached in the last judged window, awaiting confirmation */
  breach: string | null;
  /** checks with action warn that breached in the last judged window */
  warnings: string[];
  last_window: WindowSummary | null;
  history: CanaryHistoryItem[];
  /** bumped on every write; writes compare-and-set on it */
  rev: number;
}

const HISTORY_CAP = 200;

/** A state change, recorded in the history. */
export function transition(d: CanaryDoc, to: CanaryStateName, patch: Partial<CanaryDoc>, by: string, now: number): CanaryDoc {
  const next: CanaryDoc = { ...d, ...patch, state: to, updated_at: now };
  const item: CanaryHistoryItem = { at: now, from: d.state, to, step: next.step, weight: next.weight, reason: next.reason, by };
  next.history = [...d.history, item].slice(-HISTORY_CAP);
  return next;
}

export function startDoc(route: string, plan: CanaryPlan, by: string, now: number): CanaryDoc {
  const weight = plan.steps[0];
  return {
    route,
    plan,
    state: 'progressing',
    step: 0,
    weight,
    reason: null,
    started_at: now,
    started_by: by,
    updated_at: now,
    step_started_at: now,
    config_version: null,
    step_requests: 0,
    breach: null,
    warnings: [],
    last_window: null,
    history: [{ at: now, from: null, to: 'progressing', step: 0, weight, reason: 'started', by }],
    rev: 0,
  };
}

export type ManualOp = 'pause' | 'resume' | 'promote' | 'abort';

/** The manual transitions; throws CanaryConflict when the plan is not in a state that allows it. */
export function manual(d: CanaryDoc, op: ManualOp, by: string, now: number, fullWeight: number): CanaryDoc {
  if (!isActive(d)) throw new CanaryConflict(`the canary plan is ${d.state}; start a new one`);
  switch (op) {
    case 'pause':
      if (d.state === 'paused') throw new CanaryConflict('the canary plan is already paused');
      return transition(d, 'paused', { reason: `paused by ${by}` }, by, now);
    case 'resume':
      if (d.state !== 'paused') throw new CanaryConflict(`the canary plan is ${d.state}, not paused`);
      // the step starts over: what happened before the pause does not count towards it
      return transition(d, 'progressing', { reason: null, step_started_at: now, step_requests: 0, breach: null }, by, now);
    case 'promote':
      return transition(d, 'promoted', { weight: fullWeight, reason: `promoted by ${by}`, breach: null, config_version: null }, by, now);
    case 'abort':
      return transition(d, 'aborted', { weight: 0, reason: `aborted by ${by}`, breach: null, config_version: null }, by, now);
  }
}

/** The public view (GET): the contract's state, step, weight and reason first. */
export function docView(d: CanaryDoc): Record<string, unknown> {
  const { state, step, weight, reason, ...rest } = d;
  return { state, step, weight, reason, ...rest, steps: d.plan.steps, canary: d.plan.canary, stable: d.plan.stable };
}
