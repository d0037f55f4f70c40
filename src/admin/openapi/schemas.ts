/**
 * The OpenAPI document's component schemas. Request bodies that a zod schema validates are
 * generated from that very schema (jsonSchemaOf), so the document cannot drift from the
 * validator; the error shape comes from src/errors.ts; the rest (response views, canary plans,
 * whose validators are hand-written) is written here.
 */
import { jsonSchemaOf, type JsonSchema } from '../../config/json-schema.ts';
import { routeSchema, shadowSchema } from '../../config/schema.ts';
import { ERROR_CODES } from '../../errors.ts';
import { planSchema } from '../../monitor/experiments/plan.ts';
import { outcomeSchema } from '../../outcomes/outcome-schema.ts';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const obj = (properties: Record<string, unknown>, required: string[] = [], extra: JsonSchema = {}): JsonSchema => ({ type: 'object', properties, ...(required.length ? { required } : {}), ...extra });
const str = (description?: string): JsonSchema => (description ? { type: 'string', description } : { type: 'string' });
const int = (description?: string): JsonSchema => (description ? { type: 'integer', description } : { type: 'integer' });
const num = (description?: string): JsonSchema => (description ? { type: 'number', description } : { type: 'number' });
const map = (values: JsonSchema, description?: string): JsonSchema => ({ type: 'object', additionalProperties: values, ...(description ? { description } : {}) });
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });
const version = int('the config version (also the ETag)');
const changed: JsonSchema = { type: 'boolean', description: 'false when the write changed nothing: no new version, history or audit entry, the same ETag' };
const percentMap = map({ type: 'number', minimum: 0, maximum: 100 }, 'percent per variant name');
const driftStatus: JsonSchema = { type: 'string', enum: ['stable', 'moderate', 'significant', 'insufficient_data'] };
const checkAction: JsonSchema = { type: 'string', enum: ['warn', 'hold', 'rollback'] };

const canaryPlan = obj(
  {
    canary: str('the variant that grows'),
    stable: str('the variant it takes weight from'),
    steps: { type: 'array', items: { type: 'number', exclusiveMinimum: 0, maximum: 100 }, minItems: 1, description: 'canary percent per step, increasing' },
    step_min_ms: int('how long each step lasts at least'),
    step_min_requests: int('canary requests each step needs at least'),
    min_window_requests: int('entries a window needs for a verdict'),
    checks: obj(
      {
        error_rate: obj({ max: { type: 'number', minimum: 0, maximum: 1 }, max_relative: { type: 'number', minimum: 0 }, floor: { type: 'number', minimum: 0, maximum: 1 }, action: checkAction }, [], { additionalProperties: false }),
        latency_p99: obj({ max_ms: { type: 'number', minimum: 0 }, max_relative: { type: 'number', minimum: 0 }, floor_ms: { type: 'number', minimum: 0 }, min_requests: { type: 'integer', minimum: 1 }, action: checkAction }, [], { additionalProperties: false }),
        output_psi: obj({ max: { type: 'number', minimum: 0 }, action: checkAction }, ['max'], { additionalProperties: false }),
        feature_drift: obj({ max_status: { type: 'string', enum: ['stable', 'moderate'] }, action: checkAction }, [], { additionalProperties: false }),
        srm: obj({ alpha: { type: 'number', minimum: 0, maximum: 1 }, action: checkAction }, [], { additionalProperties: false }),
        auc_drop: obj({ max: { type: 'number', minimum: 0, maximum: 1, description: 'stable AUC minus canary AUC, same window of prediction time' }, min_labels: { type: 'integer', minimum: 1, default: 100 }, action: checkAction }, ['max'], { additionalProperties: false }),
        log_loss_increase: obj({ max: { type: 'number', minimum: 0, description: 'canary minus stable log loss (nats)' }, max_relative: { type: 'number', minimum: 0 }, min_labels: { type: 'integer', minimum: 1, default: 100 }, action: checkAction }, [], { additionalProperties: false }),
      },
      [],
      { additionalProperties: false, description: 'omitted: error_rate, latency_p99, output_psi and srm with their defaults' },
    ),
  },
  ['canary', 'stable', 'steps'],
  { additionalProperties: false },
);

/** components.schemas */
export function componentSchemas(): Record<string, JsonSchema> {
  return {
    Error: obj(
      {
        error: obj(
          {
            code: { type: 'string', enum: Object.keys(ERROR_CODES), description: 'stable error code (docs/errors.md)' },
            message: str(),
            request_id: str('the x-request-id of a prediction'),
            details: { description: 'what was wrong; for invalid input, a list of `{"path", "message"}` problems' },
          },
          ['code', 'message'],
        ),
      },
      ['error'],
    ),
    RouteConfig: jsonSchemaOf(routeSchema),
    Shadow: jsonSchemaOf(shadowSchema),
    ShadowList: obj({ shadows: { type: 'array', items: ref('Shadow') } }, ['shadows']),
    Weights: obj({ weights: percentMap }, ['weights'], { examples: [{ weights: { v1: 75, v2: 25 } }] }),
    Rerandomize: obj({ salt: { type: 'string', minLength: 1, description: 'default: the route name and random bytes' } }),
    RouteView: obj({ name: str(), version, weights: percentMap, config: ref('RouteConfig'), changed, moved: num('share of units (0..1) that changed variant'), warning: str('present when changes are only in memory') }, ['name', 'version', 'weights', 'config']),
    RouteList: obj({ version, routes: map(ref('RouteView')), warning: str() }, ['version', 'routes']),
    RouteDeleted: obj({ name: str(), version, changed, deleted: { type: 'boolean', const: true } }, ['name', 'version', 'deleted']),
    DryRun: obj({ route: str(), version, from: percentMap, to: percentMap, moved: num('share of units (0..1) that would change variant'), pairs: { type: 'array', items: { type: 'object' }, description: 'share moved per (from, to) pair' } }, ['route', 'version', 'moved']),
    Explain: obj({ route: str(), version, unit: str(), salt: str(), bucket: int(), slot: int(), variant: str(), variant_version: str(), shadowed: { type: 'boolean' }, shadows: { type: 'array', items: str() } }, ['route', 'bucket', 'variant']),
    History: obj({ version, history: { type: 'array', items: obj({ version, ts: int(), actor: str(), action: str() }) } }, ['version', 'history']),
    Restored: obj({ version, restored: int(), changed, routes: { type: 'array', items: str() } }, ['version', 'restored']),
    Audit: obj({ version, entries: { type: 'array', items: { type: 'object', description: 'who (token name), when, what changed (secrets redacted)' } } }, ['version', 'entries']),
    Replicas: obj({ version, replicas: { type: 'array', items: obj({ id: str(), version, heartbeat_ts: int(), age_ms: int(), current: { type: 'boolean' }, self: { type: 'boolean' }, host: str(), pid: int(), store_healthy: { type: 'boolean' } }, ['id', 'version', 'heartbeat_ts']) } }, ['version', 'replicas']),
    Stats: obj({ version, replica: str(), window_ms: int(), span_ms: int('time between the two samples the rates come from'), at: int(), routes: map(obj({ variants: map(ref('VariantRates')) })) }, ['version', 'routes']),
    RouteStats: obj({ version, replica: str(), window_ms: int(), span_ms: int(), at: int(), route: str(), variants: map(ref('VariantRates')) }, ['version', 'route', 'variants']),
    VariantRates: { type: 'object', description: 'requests per second, 5xx share and latency quantiles of a variant over the window' },
    DriftReport: obj(
      {
        route: str(),
        baseline: nullable(obj({ version: int(), variant: str(), entries: int() })),
        baseline_mode: obj({ mode: { type: 'string', enum: ['fixed', 'rolling', 'seasonal'] }, days: int(), weeks: int(), refresh_ms: int(), max_entries: int() }, ['mode'], { description: "the route's configured baseline mode (monitor.baseline with the route's own baseline over it)" }),
        variants: map(
          obj({
            status: driftStatus,
            entries: int(),
            baseline: nullable(
              obj(
                {
                  version: int(),
                  variant: str(),
                  entries: int(),
                  mode: { type: 'string', enum: ['fixed', 'rolling', 'seasonal'] },
                  period: { type: 'object', description: 'rolling and seasonal: the time range the reference covers (from_ts, to_ts; days, or weeks, hour_of_week and per-week ranges)' },
                  fallback: str('why a rolling or seasonal window was judged against the fixed baseline'),
                },
                [],
                { description: 'the reference this variant was judged against' },
              ),
            ),
            features: map(obj({ psi: nullable(num()), pvalue: nullable(num()), status: driftStatus, histogram: ref('DriftHistogram') })),
            output: obj({ psi: nullable(num()), status: driftStatus, histogram: ref('DriftHistogram') }),
          }),
        ),
      },
      ['route', 'variants'],
    ),
    DriftHistogram: obj(
      {
        edges: { type: 'array', items: num(), description: "numeric: the reference's decile edges; bin i holds edges[i-1] <= v < edges[i], outer bins open" },
        categories: { type: 'array', items: str(), description: 'categorical: the category of each bin, most frequent first; "(other)" last when rarer ones are folded' },
        reference: { type: 'array', items: int(), description: "the reference's count per bin" },
        current: { type: 'array', items: int(), description: "the judged window's count per bin" },
        folded: int('categorical: categories folded into "(other)"'),
      },
      ['reference', 'current'],
      { description: 'the counts behind a column\'s PSI' },
    ),
    DriftHistory: obj(
      {
        route: str(),
        capacity: int('windows kept per route (monitor.drift_history_windows)'),
        thresholds: obj({ psi_moderate: num(), psi_significant: num(), alpha: num() }),
        windows: {
          type: 'array',
          description: 'oldest first',
          items: obj(
            {
              role: { type: 'string', enum: ['live', 'shadow'] },
              variant: str(),
              start_ts: int(),
              end_ts: int(),
              entries: int(),
              judged: int(),
              status: driftStatus,
              reason: str('why a window had no verdict (no_baseline, too_few_entries)'),
              model_version: str(),
              baseline_version: nullable(int()),
              features: map(ref('DriftHistoryColumn')),
              output: nullable(ref('DriftHistoryColumn')),
            },
            ['role', 'variant', 'end_ts', 'status', 'features'],
          ),
        },
      },
      ['route', 'windows'],
    ),
    DriftHistoryColumn: obj({ status: driftStatus, psi: nullable(num()), test: { type: 'string', enum: ['ks', 'chi2'] }, statistic: nullable(num()), pvalue_adjusted: nullable(num()), n: int() }, ['status', 'psi']),
    Baselines: { type: 'object', description: 'baseline versions and variants of the route (no samples)' },
    Baseline: { type: 'object', description: 'a variant baseline as `modelgate baseline build` writes it' },
    BaselineStored: obj({ route: str(), variant: str(), version: int(), default: { type: ['string', 'null'] } }, ['route', 'variant', 'version']),
    CaptureRequest: obj({ variant: str(), entries: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1000 } }, ['variant'], { additionalProperties: false }),
    CaptureStarted: obj({ route: str(), variant: str(), entries: int(), after: str('the stream id after which entries are taken'), status: { type: 'string', const: 'capturing' }, baseline_version: int() }, ['route', 'variant', 'entries', 'status']),
    CanaryPlan: canaryPlan,
    Canary: obj(
      {
        state: { type: 'string', enum: ['progressing', 'paused', 'holding', 'promoted', 'rolled_back', 'aborted'] },
        step: int('0-based index into steps'),
        weight: num('the canary percent now'),
        reason: { type: ['string', 'null'] },
        steps: { type: 'array', items: num() },
        canary: str(),
        stable: str(),
        plan: ref('CanaryPlan'),
        config_version: { type: ['integer', 'null'] },
      },
      ['state', 'step', 'weight', 'reason'],
    ),
    CanaryDeleted: obj({ route: str(), deleted: { type: 'boolean', const: true }, state: str(), weight: num() }, ['route', 'deleted']),
    ShadowReport: obj({ route: str(), status: { type: 'string', enum: ['ok', 'insufficient_data'] }, updated_at: { type: ['integer', 'null'] }, configured: { type: 'array', items: str() }, shadows: map({ type: 'object', description: 'latest window, recent windows and totals (agreement, error share, latency)' }) }, ['route', 'status', 'shadows']),
    PerformanceReport: obj(
      {
        route: str(),
        status: { type: 'string', enum: ['ok', 'insufficient_data'] },
        task: { type: 'string', enum: ['binary', 'regression', 'classes'] },
        threshold: num('binary: a score at or above it is a positive prediction'),
        window_ms: int('windows of prediction time'),
        windows_kept: int(),
        updated_at: nullable(str('ISO time of the last report')),
        labels: map(int(), 'labels by join result: matched, unmatched, duplicate, invalid_label, invalid_prediction, expired, pending'),
        variants: map(ref('QualityFigures'), 'live predictions per variant'),
        shadows: map(ref('QualityFigures'), 'shadow predictions per shadow'),
      },
      ['route', 'status', 'task', 'labels', 'variants', 'shadows'],
    ),
    QualityFigures: obj(
      {
        role: { type: 'string', enum: ['live', 'shadow'] },
        labels: int('labelled predictions scored'),
        overflow: int('labelled predictions over the per-window bound (not scored)'),
        positives: int(),
        auc: nullable(num('AUC-ROC (Mann-Whitney, ties as halves)')),
        log_loss: nullable(num('nats, eps 1e-15')),
        brier: nullable(num()),
        ece: nullable(num('expected calibration error, 10 equal-width bins')),
        precision: nullable(num()),
        recall: nullable(num()),
        mean_score: nullable(num()),
        mae: nullable(num()),
        rmse: nullable(num()),
        mean_prediction: nullable(num()),
        mean_label: nullable(num()),
        accuracy: nullable(num()),
        windows: { type: 'array', items: { type: 'object', description: 'the same figures for one window, with start and end (ms)' } },
      },
      ['labels'],
    ),
    ExperimentPlan: jsonSchemaOf(planSchema),
    Experiment: {
      type: 'object',
      description: 'plan, status, verdict, planning and live results',
      properties: {
        id: str(),
        route: str(),
        status: str(),
        min_runtime: obj(
          {
            min_days: num('the plan\'s pre-registered minimum runtime in days'),
            not_before: int('ms since the epoch: no winner is declared before it'),
            reached: { type: 'boolean' },
            pending: { type: 'object', description: 'the verdict the rule already gives, held until not_before (decision, winner, reason, always_valid_p)' },
          },
          ['min_days', 'not_before', 'reached'],
        ),
      },
    },
    ExperimentHistory: obj(
      {
        route: str(),
        id: str('the experiment the looks belong to'),
        gap_ms: nullable(int('the least time between recorded looks now (doubles at each thinning)')),
        capacity: int('looks kept (monitor.experiment_history_looks)'),
        looks: {
          type: 'array',
          description: 'oldest first',
          items: obj(
            {
              at: int(),
              units: map(int(), 'units per arm'),
              p_always_valid: map(num(), 'per treatment arm: the always-valid (mSPRT) p-value against control'),
              p_fixed: map(nullable(num()), 'per treatment arm: the fixed-horizon p-value'),
              difference: map(nullable(num()), 'per treatment arm: the difference to control'),
              units_per_arm: nullable(int('the planned units per arm at that look')),
              srm_pvalue: nullable(num()),
            },
            ['at', 'units', 'p_always_valid'],
          ),
        },
      },
      ['route', 'id', 'looks'],
    ),
    ExperimentDeleted: obj({ route: str(), id: str(), changed, deleted: { type: 'boolean', const: true } }, ['route', 'id', 'deleted']),
    Outcome: jsonSchemaOf(outcomeSchema),
    OutcomeBatch: obj({ outcomes: { type: 'array', items: ref('Outcome'), minItems: 1, maxItems: 1000 } }, ['outcomes']),
    OutcomeResult: { type: 'object', description: 'how many outcomes were accepted, and the problems of the others' },
    V1Request: obj({ instances: { type: 'array', items: {} } }, [], { description: 'KServe V1 (any JSON is forwarded; `instances` is what the log extracts)' }),
    V2Request: obj({ id: str(), inputs: { type: 'array', items: obj({ name: str(), shape: { type: 'array', items: int() }, datatype: str(), data: {} }, ['name', 'shape', 'datatype']) }, outputs: { type: 'array', items: { type: 'object' } }, parameters: { type: 'object' } }, [], { description: 'Open Inference Protocol V2' }),
    ModelAnswer: { description: "the backend's answer, passed through unchanged" },
    Ready: obj({ status: { type: 'string', enum: ['ready', 'degraded'] }, replica: str(), checks: { type: 'object' } }, ['status']),
  };
}
