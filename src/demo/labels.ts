/**
 * Delayed ground truth for the demo's traffic, so the performance view has data: whether a
 * transaction "was fraud" is drawn from a fixed true model (closest to v2, so the better
 * candidate also scores better), and reported to POST /v1/outcomes a few seconds after the
 * prediction (labels are late in real life: chargebacks take days). Most labels go by request
 * id; one in five by unit and prediction time, the way an application that kept only the
 * user id and when it scored them reports.
 */
import { score, type FraudCoefficients, type Transaction } from './model.ts';

/** the demo's ground truth */
export const TRUE_FRAUD: FraudCoefficients = { intercept: -4.5, amount: 0.0025, merchant_risk: 3.5, night: 0.55, country: { US: 0, GB: 0.15, DE: 0.05, BR: 0.7, NG: 1.25 } };
/** labels are posted this long after the answer */
export const LABEL_DELAY_MS = 5000;

export type DemoLabel = { route: string; label: 0 | 1; request_id: string } | { route: string; label: 0 | 1; unit: string; ts: number };

/** The label of one served prediction (pure: `draw` is the random source). */
export function labelFor(route: string, reply: { requestId: string; unit: string; ts: number; tx: Transaction }, draw: () => number): DemoLabel {
  const label = draw() < score(TRUE_FRAUD, reply.tx) ? 1 : 0;
  return draw() < 0.2 ? { route, label, unit: reply.unit, ts: reply.ts } : { route, label, request_id: reply.requestId };
}
