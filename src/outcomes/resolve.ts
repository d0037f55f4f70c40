/**
 * Turns validated outcomes into stream entries (pure, given the live config and the unit
 * encoder): picks each outcome's route and hashes its unit exactly as the prediction log does,
 * so the monitor can join outcomes to logged assignments on any replica.
 *
 * Route choice: `route` if given; else the route serving `model`; else, when the gateway
 * serves exactly one route, that one. A request id alone does not name its route (any replica
 * may receive the outcome, and none keeps an index of every request it served).
 *
 * Entry fields (all strings): v=1, ts (received, ms), route, metric, value, and `rid` or
 * `unit` (keyed hash, as in the prediction log); `id` (idempotency key) and `ets` (the
 * application's event time) when given. A label entry has `label` instead of metric/value,
 * `pts` (the labelled prediction's time) and `idx` (instance) when given; the label is checked
 * against the route's `performance.task` here, so a bad one is a 400, not a silent drop.
 */
import type { Problem } from '../config/validate.ts';
import type { CompiledConfig } from '../routing/compile.ts';
import { utf8Binary } from '../routing/hash.ts';
import { labelProblem } from './label-rules.ts';
import type { OutcomeInput } from './outcome-schema.ts';

export const OUTCOME_SCHEMA_VERSION = '1';

export interface OutcomeEntry {
  readonly route: string;
  /** the XADD field list after `*` */
  readonly fields: string[];
  readonly bytes: number;
}

export interface ResolveContext {
  config: CompiledConfig;
  /** the prediction log's unit encoder (binary string in), or undefined when log.unit is omit */
  encodeUnit: ((binary: string) => string) | undefined;
  now: number;
}

export type Resolved = { ok: true; entries: OutcomeEntry[] } | { ok: false; problems: Problem[] };

/** the unit's bytes as the gateway hashes a JSON body unit: UTF-8 text, a number as its JSON text */
export const unitBinary = (unit: string | number): string => (typeof unit === 'number' ? JSON.stringify(unit) : utf8Binary(unit));

function routeOf(o: OutcomeInput, config: CompiledConfig): { route?: string; message?: string } {
  if (o.route !== undefined) {
    if (!config.routes.has(o.route)) return { message: `no route "${o.route}"` };
    if (o.model !== undefined && config.byModel.get(o.model)?.name !== o.route) return { message: `model "${o.model}" is not served by route "${o.route}"` };
    return { route: o.route };
  }
  if (o.model !== undefined) {
    const r = config.byModel.get(o.model);
    return r ? { route: r.name } : { message: `no route serves model "${o.model}"` };
  }
  if (config.routes.size === 1) return { route: [...config.routes.keys()][0] };
  return { message: 'give "route" or "model": this gateway serves several routes' };
}

export function resolveOutcomes(outcomes: readonly OutcomeInput[], ctx: ResolveContext, batch: boolean): Resolved {
  const entries: OutcomeEntry[] = [];
  const problems: Problem[] = [];
  const at = (i: number, field: string) => (batch ? `outcomes[${i}].${field}` : field);
  outcomes.forEach((o, i) => {
    const r = routeOf(o, ctx.config);
    if (!r.route) {
      problems.push({ path: at(i, o.route !== undefined ? 'route' : o.model !== undefined ? 'model' : 'route'), message: r.message ?? 'unknown route' });
      return;
    }
    const fields = ['v', OUTCOME_SCHEMA_VERSION, 'ts', String(ctx.now), 'route', r.route];
    if (o.label !== undefined) {
      const problem = labelProblem(o.label, ctx.config.routes.get(r.route)?.config.performance?.task ?? 'binary');
      if (problem) {
        problems.push({ path: at(i, 'label'), message: problem });
        return;
      }
      fields.push('label', String(o.label));
      if (o.ts !== undefined) fields.push('pts', String(o.ts));
      if (o.index !== undefined) fields.push('idx', String(o.index));
    } else fields.push('metric', o.metric as string, 'value', String(o.value));
    if (o.request_id !== undefined) fields.push('rid', o.request_id);
    else {
      if (!ctx.encodeUnit) {
        problems.push({ path: at(i, 'unit'), message: 'log.unit is "omit": units are not logged, so outcomes must be keyed by request_id' });
        return;
      }
      fields.push('unit', ctx.encodeUnit(unitBinary(o.unit as string | number)));
    }
    if (o.id !== undefined) fields.push('id', o.id);
    if (o.ts !== undefined && o.label === undefined) fields.push('ets', String(o.ts));
    let bytes = 0;
    for (const f of fields) bytes += f.length + 8;
    entries.push({ route: r.route, fields, bytes });
  });
  return problems.length ? { ok: false, problems } : { ok: true, entries };
}
