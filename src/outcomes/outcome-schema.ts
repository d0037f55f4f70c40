/**
 * The body of `POST /v1/outcomes` (pure): one outcome, or `{"outcomes": [...]}` for a batch.
 *
 *   { "request_id": "…", "metric": "converted", "value": 1 }
 *   { "unit": "user-42", "route": "fraud", "metric": "revenue", "value": 12.5, "id": "order-981" }
 *
 *   { "request_id": "…", "label": 1 }                      (a delayed label: docs/model-quality.md)
 *   { "unit": "user-42", "ts": 1767225600000, "label": 0 }
 *
 * Exactly one of `request_id` (the x-request-id the gateway returned) and `unit` (the raw unit
 * id, as the application knows it). Exactly one of `metric` (a business outcome, with `value`)
 * and `label` (the true label of a prediction: 0/1, a class, or a regression target); a label
 * keyed by unit needs `ts`, the time of the prediction it labels, and `index` picks an
 * instance of a batched request. `route` or `model` picks the route; with neither, a
 * gateway serving a single route uses it. `value` defaults to 1 (an event happened). `id` is
 * an optional idempotency key: the monitor counts an outcome with the same id once.
 * Every problem of every outcome is reported at once, with its path.
 */
import { z } from 'zod';
import { validate, type Problem } from '../config/validate.ts';

export const MAX_BATCH = 1000;
export const MAX_METRIC_CHARS = 64;
export const MAX_ABS_VALUE = 1e12;

const metricName = z
  .string()
  .regex(new RegExp(`^[A-Za-z_][A-Za-z0-9_.:-]{0,${MAX_METRIC_CHARS - 1}}$`), `expected a metric name of 1-${MAX_METRIC_CHARS} of A-Z a-z 0-9 _ . : - (starting with a letter or _)`);

const finiteBounded = (what: string) =>
  z
    .number()
    .refine(Number.isFinite, 'expected a finite number')
    .refine((v) => Math.abs(v) <= MAX_ABS_VALUE, `expected |${what}| <= ${MAX_ABS_VALUE}`);

export const outcomeSchema = z
  .strictObject({
    request_id: z.string().min(1).max(128).optional(),
    unit: z.union([z.string().min(1).max(256), z.number().refine(Number.isFinite, 'expected a finite number')]).optional(),
    route: z.string().min(1).max(64).optional(),
    model: z.string().min(1).max(256).optional(),
    metric: metricName.optional(),
    value: finiteBounded('value').optional(),
    /** the true label of the prediction (instead of metric/value) */
    label: finiteBounded('label').optional(),
    /** a label's instance in a batched request (0: the first) */
    index: z.number().int().min(0).max(1023).optional(),
    id: z.string().min(1).max(128).optional(),
    /** when the outcome happened, ms since the epoch (informational); for a label: when the labelled prediction was made */
    ts: z.number().int().min(0).optional(),
  })
  .superRefine((o, ctx) => {
    if ((o.request_id === undefined) === (o.unit === undefined))
      ctx.addIssue({ code: 'custom', path: ['request_id'], message: 'give exactly one of request_id and unit' });
    if (o.label === undefined) {
      if (o.metric === undefined) ctx.addIssue({ code: 'custom', path: ['metric'], message: 'give a metric (a business outcome) or a label (the true label of a prediction)' });
      if (o.index !== undefined) ctx.addIssue({ code: 'custom', path: ['index'], message: 'index belongs to labels' });
      return;
    }
    if (o.metric !== undefined) ctx.addIssue({ code: 'custom', path: ['label'], message: 'give either metric/value or label, not both' });
    if (o.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'a label has no value: the label is the value' });
    if (o.unit !== undefined && o.ts === undefined) ctx.addIssue({ code: 'custom', path: ['ts'], message: 'a label keyed by unit needs ts, the time (ms since the epoch) of the prediction it labels' });
  })
  .transform((o) => (o.label === undefined ? { ...o, value: o.value ?? 1 } : o));

export type OutcomeInput = z.infer<typeof outcomeSchema>;

const batchSchema = z.strictObject({
  outcomes: z.array(z.unknown()).min(1, 'a batch needs at least one outcome').max(MAX_BATCH, `a batch holds at most ${MAX_BATCH} outcomes`),
});

export type ParsedOutcomes = { ok: true; outcomes: OutcomeInput[]; batch: boolean } | { ok: false; problems: Problem[] };

/** Validates a parsed JSON body: a single outcome or a batch. */
export function parseOutcomes(body: unknown): ParsedOutcomes {
  const isBatch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'outcomes' in body;
  if (!isBatch) {
    const r = validate(outcomeSchema, body);
    return r.ok ? { ok: true, outcomes: [r.value], batch: false } : { ok: false, problems: r.problems };
  }
  const b = validate(batchSchema, body);
  if (!b.ok) return { ok: false, problems: b.problems };
  const outcomes: OutcomeInput[] = [];
  const problems: Problem[] = [];
  b.value.outcomes.forEach((item, i) => {
    const r = validate(outcomeSchema, item, ['outcomes', i]);
    if (r.ok) outcomes.push(r.value);
    else problems.push(...r.problems);
  });
  return problems.length ? { ok: false, problems } : { ok: true, outcomes, batch: true };
}
