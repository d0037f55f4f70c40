/** The webhook body and log line of a canary state change (sent through runtime/notify.ts). Pure. */
import type { CanaryDoc } from './state.ts';

/** The webhook body and log line of a canary state change. */
export function canaryNotice(prev: Pick<CanaryDoc, 'state' | 'step' | 'weight'> | null, d: CanaryDoc): { body: Record<string, unknown>; level: 'info' | 'warn' | 'error'; message: string } {
  const body = {
    type: 'canary_state_changed',
    route: d.route,
    canary: d.plan.canary,
    stable: d.plan.stable,
    from: prev?.state ?? null,
    to: d.state,
    step: d.step,
    weight: d.weight,
    previous_weight: prev?.weight ?? null,
    reason: d.reason,
    by: d.history[d.history.length - 1]?.by ?? 'canary',
    at: new Date(d.updated_at).toISOString(),
  };
  const level = d.state === 'rolled_back' ? 'error' : d.state === 'holding' || d.state === 'aborted' ? 'warn' : 'info';
  const message = `canary ${d.route}: ${prev?.state ?? 'new'} -> ${d.state}, ${d.plan.canary} at ${d.weight}% (step ${d.step + 1}/${d.plan.steps.length})${d.reason ? `: ${d.reason}` : ''}`;
  return { body, level, message };
}
