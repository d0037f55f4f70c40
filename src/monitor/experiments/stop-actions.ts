/**
 * What happens when an experiment ends: readable reasons, and the optional guardrail action
 * (`on_guardrail: zero_losing_arm`): the breaching arm goes to 0 % and its weight to the control
 * arm, through the config store (compare-and-set on the latest version, audited as actor
 * `experiment`) through config/weights.ts, the one weight-change path. The store is the
 * monitor's own, passed in by the analyses list; only a caller without one (a test) gets a
 * store opened for the change and closed after it.
 */
import { randomBytes } from 'node:crypto';
import { changeWeights } from '../../config/weights.ts';
import type { FileConfig } from '../../config/schema.ts';
import { initialSnapshot } from '../../config/snapshot.ts';
import { RedisConfigStore } from '../../config/redis-store.ts';
import type { ConfigStore } from '../../config/store.ts';
import type { Logger } from '../../telemetry/logger.ts';
import type { ExperimentDoc, GuardrailBreach, Verdict } from './plan.ts';

const fmt = (x: number) => (Number.isFinite(x) ? +x.toPrecision(4) : x);

export function describeVerdict(v: Verdict, alpha: number): string {
  if (v.decision === 'winner') return `${v.winner} wins: always-valid p ${fmt(v.always_valid_p)} < ${alpha}${v.reason === 'planned_sample' ? ' at the planned sample' : ''}`;
  return `inconclusive: planned sample reached, always-valid p ${fmt(v.always_valid_p)} >= ${alpha}`;
}

export function describeBreach(b: GuardrailBreach): string {
  return `guardrail ${b.metric} breached by ${b.arm}: ${fmt(b.value)} (limit: ${b.limit})`;
}

/** New weights: `loser` at 0, its weight added to `control`, the others unchanged. */
export function weightsWithout(current: Record<string, number>, loser: string, control: string): Record<string, number> {
  const next = { ...current };
  const moved = next[loser] ?? 0;
  next[loser] = 0;
  next[control] = Math.round(((next[control] ?? 0) + moved) * 100) / 100;
  return next;
}

export interface ActionDeps {
  cfg: FileConfig;
  logger: Logger;
  store?: ConfigStore;
}

export async function zeroLosingArm(deps: ActionDeps, route: string, loser: string, control: string): Promise<NonNullable<ExperimentDoc['action']>> {
  const action = { kind: 'zero_losing_arm' as const, arm: loser, applied: false };
  let store = deps.store;
  const own = !store;
  try {
    if (!store) {
      const url = deps.cfg.redis?.url;
      if (!url) throw new Error('no redis.url');
      store = new RedisConfigStore(initialSnapshot(deps.cfg), { url, cluster: deps.cfg.redis?.cluster, prefix: deps.cfg.redis?.prefix ?? 'modelgate', replicaId: `experiment-${randomBytes(3).toString('hex')}`, heartbeat: false, logger: deps.logger, connectTimeoutMs: deps.cfg.redis?.connect_timeout_ms });
      await store.start();
    }
    const r = store.current().routes.get(route);
    if (!r) throw new Error(`no route "${route}" in the live config`);
    const current = Object.fromEntries(r.config.variants.map((v) => [v.name, v.weight]));
    const done = await changeWeights(store, { route, weights: weightsWithout(current, loser, control), actor: 'experiment', action: 'experiment_guardrail' });
    return { ...action, applied: true, version: done.version };
  } catch (e) {
    deps.logger.error({ route, arm: loser, err: (e as Error).message }, 'experiment guardrail action failed');
    return { ...action, error: (e as Error).message };
  } finally {
    if (own) await store?.stop().catch(() => undefined);
  }
}
