/**
 * The controller's decision for one judged window, as a value (no I/O):
 *   rollback  a check with action rollback breached in this window and the one before
 *             (one window to confirm, so a single noisy window never rolls back; the canary
 *             is back to 0 % within two windows of a breach)
 *   hold      a hold check breached, a rollback check breached once (confirming), or a
 *             check that can stop the plan had too little data (`insufficient_data`)
 *   advance   every check passed, the step lasted step_min_ms and the canary served
 *             step_min_requests in it; `promote` when that was the last step
 *   wait      checks passed, the step is not over yet
 * Checks with action warn never stop the plan; their breaches come back as warnings.
 */
import type { CheckResult } from './checks.ts';
import { transition, type CanaryDoc, type WindowSummary } from './state.ts';

export type DecisionKind = 'rollback' | 'hold' | 'advance' | 'promote' | 'wait';

export interface Decision {
  kind: DecisionKind;
  reason: string | null;
  /** the rollback check breached in this window (awaiting confirmation), else null */
  breach: string | null;
  warnings: CheckResult[];
}

export interface DecideInput {
  doc: Pick<CanaryDoc, 'plan' | 'step' | 'step_started_at' | 'breach'>;
  results: CheckResult[];
  stepRequests: number;
  now: number;
}

const describe = (r: CheckResult) => `${r.check}: ${r.detail}`;

export function decide({ doc, results, stepRequests, now }: DecideInput): Decision {
  const warnings = results.filter((r) => r.status === 'breach' && r.action === 'warn');
  const rollback = results.find((r) => r.status === 'breach' && r.action === 'rollback');
  if (rollback) {
    if (doc.breach) return { kind: 'rollback', reason: describe(rollback), breach: rollback.check, warnings };
    return { kind: 'hold', reason: `${describe(rollback)} (rolling back if the next window breaches too)`, breach: rollback.check, warnings };
  }
  const hold = results.find((r) => r.status === 'breach' && r.action === 'hold');
  if (hold) return { kind: 'hold', reason: describe(hold), breach: null, warnings };
  // too little data to clear a check that could stop the plan: no verdict either way, and a
  // breach awaiting confirmation stays pending
  if (results.some((r) => r.status === 'insufficient_data' && r.action !== 'warn')) return { kind: 'hold', reason: 'insufficient_data', breach: doc.breach, warnings };
  const { plan, step } = doc;
  if (now - doc.step_started_at >= plan.step_min_ms && stepRequests >= plan.step_min_requests) {
    return { kind: step + 1 >= plan.steps.length ? 'promote' : 'advance', reason: null, breach: null, warnings };
  }
  return { kind: 'wait', reason: null, breach: null, warnings };
}

/**
 * The document after a decision. `fullWeight` is the most the canary can hold (100 minus
 * variants outside the plan). A new weight clears config_version: the controller sets it
 * once the config change is made.
 */
export function applyDecision(d: CanaryDoc, dec: Decision, fullWeight: number, stepRequests: number, window: WindowSummary | null, now: number): CanaryDoc {
  const base: Partial<CanaryDoc> = { breach: dec.breach, warnings: dec.warnings.map((w) => w.check), last_window: window ?? d.last_window, step_requests: stepRequests };
  switch (dec.kind) {
    case 'rollback':
      return transition(d, 'rolled_back', { ...base, weight: 0, reason: dec.reason, config_version: null }, 'canary', now);
    case 'promote':
      return transition(d, 'promoted', { ...base, weight: fullWeight, reason: null, config_version: d.weight === fullWeight ? d.config_version : null }, 'canary', now);
    case 'advance': {
      const step = d.step + 1;
      return transition(d, 'progressing', { ...base, step, weight: d.plan.steps[step], reason: null, step_started_at: now, step_requests: 0, config_version: null }, 'canary', now);
    }
    case 'hold':
      if (d.state === 'holding' && reasonCode(d.reason) === reasonCode(dec.reason)) return { ...d, ...base, reason: dec.reason, updated_at: now };
      return transition(d, 'holding', { ...base, reason: dec.reason }, 'canary', now);
    case 'wait':
      if (d.state === 'progressing') return { ...d, ...base, reason: null, updated_at: now };
      return transition(d, 'progressing', { ...base, reason: null }, 'canary', now);
  }
}

/** The stable part of a reason: the check name (`error_rate`), `insufficient_data`, ... */
export const reasonCode = (r: string | null): string | null => (r === null ? null : r.split(':')[0].split(' ')[0]);

/** Whether the state, step, weight or kind of reason changed (worth a log line, a webhook, a metric). */
export const changed = (a: CanaryDoc, b: CanaryDoc): boolean => a.state !== b.state || a.step !== b.step || a.weight !== b.weight || reasonCode(a.reason) !== reasonCode(b.reason);
