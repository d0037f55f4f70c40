/**
 * The demo's monitor side, when Redis is there: a baseline for every demo variant (built from
 * the traffic generator's unshifted distribution, scored by each variant's model) and an
 * in-process monitor with every plug-in (drift, canary, SRM, shadow reports, experiments).
 */
import type { FileConfig } from '../config/schema.ts';
import { createConfigStore } from '../config/create-store.ts';
import { BaselineStore } from '../monitor/drift/baseline-store.ts';
import { ReferenceBuilder } from '../monitor/drift/reference-builder.ts';
import { startMonitor } from '../monitor/runtime/monitor.ts';
import { monitorAnalyses } from '../monitor/analyses.ts';
import { LABEL_DELAY_MS } from './labels.ts';
import { connectRedis, redisSettings, whenReady } from '../redis/connect.ts';
import { createRegistry } from '../telemetry/registry.ts';
import type { Logger } from '../telemetry/logger.ts';
import { MODELS, score } from './model.ts';
import { rng, transaction } from './traffic.ts';

export interface DemoExtras {
  lines(base: string, admin: string, token: string): string[];
  close(): Promise<void>;
}

const NONE: DemoExtras = { lines: () => [], close: async () => {} };

/** A training sample of the demo distribution, as the monitor's baseline builder takes it. */
export function demoBaseline(model: string, variant: string, version: string, n = 5000, seed = 1) {
  const r = rng(seed);
  const b = new ReferenceBuilder();
  const coefficients = MODELS[model] ?? MODELS['fraud-v1'];
  for (let i = 0; i < n; i++) {
    const t = transaction(r);
    b.addInstance(t);
    b.addOutput(score(coefficients, t));
  }
  return b.build({ variant, model_version: version, source: 'file' });
}

export async function demoExtras(cfg: FileConfig, logger: Logger): Promise<DemoExtras> {
  if (!cfg.redis?.url) return NONE;
  const prefix = cfg.redis.prefix;
  const redis = connectRedis(redisSettings(cfg.redis, 'modelgate-demo'));
  await whenReady(redis, 5000);
  const baselines = new BaselineStore(redis, prefix);
  for (const [route, r] of Object.entries(cfg.routes))
    for (const [i, v] of r.variants.entries()) await baselines.setVariant(route, demoBaseline(v.model ?? 'fraud-v1', v.name, v.version), i === 0);
  const store = await createConfigStore(cfg, { logger: logger.child({ component: 'config-store' }), replicaId: `demo-monitor-${process.pid}`, heartbeat: false });
  const registry = createRegistry('monitor');
  const monitor = await startMonitor(cfg, { logger, registry, analyses: monitorAnalyses(), store, routes: () => store.current().snapshot.routes });
  return {
    lines: (base, admin, token) => [
      '',
      `monitor on http://${cfg.monitor.host}:${monitor.port}/metrics (baselines loaded for ${Object.keys(cfg.routes).join(', ')})`,
      `  MODELGATE_ADMIN_URL=${admin} MODELGATE_ADMIN_TOKEN=${token} npx modelgate ctl drift fraud`,
      `  MODELGATE_ADMIN_URL=${admin} MODELGATE_ADMIN_TOKEN=${token} npx modelgate ctl performance fraud   (labels arrive ${LABEL_DELAY_MS / 1000} s after each answer)`,
      `  curl -s ${admin}/admin/routes/fraud/drift -H 'authorization: Bearer ${token}'`,
      `  npm run demo -- --traffic 50 --shift amount --shift-after 3000   # drift after 3000 requests`,
    ],
    close: async () => {
      await monitor.close();
      await store.stop();
      redis.disconnect();
    },
  };
}
