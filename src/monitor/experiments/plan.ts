/**
 * An experiment plan (what `POST /admin/routes/{route}/experiment` takes) and the stored
 * experiment document. Pure: schema and types only.
 *
 *   { "arms": ["v1", "v2"],                    first is the control (default: the route's variants)
 *     "metric": "converted", "kind": "binary", "goal": "increase",
 *     "mde": 0.02, "baseline_rate": 0.10,      binary: absolute difference in rate; continuous: in mean ("sd" optional)
 *     "alpha": 0.05, "power": 0.8, "tau": 0.02, tau: mSPRT mixing sd (default: mde)
 *     "guardrails": [ { "metric": "error_rate", "max": 0.05, "max_relative": 2 },
 *                     { "metric": "latency_p99", "max_ms": 300 },
 *                     { "metric": "refunds", "kind": "binary", "bad": "increase" } ],
 *     "on_guardrail": "stop" | "zero_losing_arm",
 *     "min_days": 7 }                           no verdict before this many days (guardrail stops stay immediate)
 */
import { z } from 'zod';

export const RESERVED_GUARDRAILS = ['error_rate', 'latency_p99'] as const;

const metricName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/, 'expected a metric name of 1-64 of A-Z a-z 0-9 _ . : -');
const armName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a variant name');
const probability = z.number().gt(0).lt(1);

export const guardrailSchema = z
  .strictObject({
    metric: metricName,
    /** error_rate: absolute ceiling on a treatment arm's error rate */
    max: z.number().min(0).max(1).optional(),
    /** error_rate, latency_p99: ceiling relative to the control arm (e.g. 2 = twice control) */
    max_relative: z.number().gt(1).optional(),
    /** latency_p99: absolute ceiling in ms */
    max_ms: z.number().positive().optional(),
    /** outcome guardrails: the harmful direction, and the metric's kind */
    bad: z.enum(['increase', 'decrease']).optional(),
    kind: z.enum(['binary', 'continuous']).optional(),
    /** requests (error_rate, latency_p99) or units (outcome metrics) per arm before it is judged */
    min_samples: z.number().int().min(1).default(100),
  })
  .superRefine((g, ctx) => {
    if (g.metric === 'error_rate' && g.max === undefined && g.max_relative === undefined) ctx.addIssue({ code: 'custom', path: ['max'], message: 'error_rate needs max and/or max_relative' });
    if (g.metric === 'latency_p99' && g.max_ms === undefined && g.max_relative === undefined) ctx.addIssue({ code: 'custom', path: ['max_ms'], message: 'latency_p99 needs max_ms and/or max_relative' });
    const reserved = (RESERVED_GUARDRAILS as readonly string[]).includes(g.metric);
    if (!reserved && g.bad === undefined) ctx.addIssue({ code: 'custom', path: ['bad'], message: 'an outcome guardrail needs "bad": "increase" or "decrease"' });
  });

export const planSchema = z
  .strictObject({
    arms: z.array(armName).min(2).max(10).optional(),
    metric: metricName,
    kind: z.enum(['binary', 'continuous']).default('binary'),
    goal: z.enum(['increase', 'decrease']).default('increase'),
    mde: z.number().positive(),
    baseline_rate: probability.optional(),
    sd: z.number().positive().optional(),
    alpha: probability.default(0.05),
    power: probability.default(0.8),
    tau: z.number().positive().optional(),
    guardrails: z.array(guardrailSchema).max(10).default([]),
    on_guardrail: z.enum(['stop', 'zero_losing_arm']).default('stop'),
    /** units per arm before any test is read (tiny samples make variance estimates unstable) */
    min_units: z.number().int().min(2).default(100),
    /**
     * pre-registered minimum runtime in days (fractions allowed): no verdict, winner or
     * inconclusive, before it has passed since the start, so the result covers whole weekly
     * cycles; guardrail stops stay immediate
     */
    min_days: z.number().min(0).max(365).default(7),
  })
  .superRefine((p, ctx) => {
    if (p.arms && new Set(p.arms).size !== p.arms.length) ctx.addIssue({ code: 'custom', path: ['arms'], message: 'arms must be distinct' });
    if (p.kind === 'binary' && p.mde >= 1) ctx.addIssue({ code: 'custom', path: ['mde'], message: 'for a binary metric mde is a difference in rate, below 1' });
    if (p.kind === 'binary' && p.baseline_rate !== undefined && p.baseline_rate + p.mde >= 1 && p.baseline_rate - p.mde <= 0) ctx.addIssue({ code: 'custom', path: ['mde'], message: 'baseline_rate ± mde leaves (0, 1)' });
  });

export type PlanInput = z.input<typeof planSchema>;
export type Guardrail = z.infer<typeof guardrailSchema>;

/** A validated plan with its arms and their weights (basis points) fixed at start. */
export type Plan = z.infer<typeof planSchema> & { arms: string[]; weights: number[] };

export type ExperimentStatus = 'running' | 'concluded' | 'stopped';

export interface Verdict {
  /** `winner`: one arm is better with significance; `inconclusive`: planned sample reached without */
  decision: 'winner' | 'inconclusive';
  winner?: string;
  /** `always_valid`: the mSPRT p-value crossed alpha; `planned_sample`: the planned units were reached */
  reason: 'always_valid' | 'planned_sample';
  always_valid_p: number;
  at: number;
}

export interface GuardrailBreach {
  metric: string;
  arm: string;
  value: number;
  limit: string;
}

export interface ExperimentDoc {
  id: string;
  route: string;
  plan: Plan;
  status: ExperimentStatus;
  started_at: number;
  started_by: string;
  ended_at?: number;
  reason?: string;
  verdict?: Verdict;
  breach?: GuardrailBreach;
  /** the optional guardrail action's outcome */
  action?: { kind: 'zero_losing_arm'; arm: string; applied: boolean; version?: number; error?: string };
}
