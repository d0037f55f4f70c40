/**
 * Assembles one gateway replica: config store, log sink, metrics, data plane, admin API.
 * Returns a handle whose close() drains in-flight requests and releases everything.
 */
import { once } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { FileConfig } from '../config/schema.ts';
import type { ConfigStore } from '../config/store.ts';
import { createConfigStore } from '../config/create-store.ts';
import { createLogSink } from '../predictions/create-sink.ts';
import type { LogSink } from '../predictions/record.ts';
import { connectRedis, redisSettings } from '../redis/connect.ts';
import { RedisFaults } from '../redis/faults.ts';
import { startAdminServer } from '../admin/server.ts';
import { createRegistry } from '../telemetry/registry.ts';
import { GatewayMetrics } from '../telemetry/gateway-metrics.ts';
import { createLogger, type Logger } from '../telemetry/logger.ts';
import { createTracer } from '../telemetry/tracing.ts';
import { createAccessLog } from '../telemetry/access-log.ts';
import { mountOutcomes } from '../outcomes/mount.ts';
import { BackendRegistry, type Backend } from '../upstream/backend.ts';
import { createDataPlane, type DataPlane } from '../http/data-plane.ts';
import { drainDataPlane } from './drain.ts';
import { opsApp, type OpsDeps } from '../http/ops-app.ts';
import { PredictHandler } from '../http/predict.ts';
import type { CompiledConfig } from '../routing/compile.ts';
import { startGrpcServer, type GrpcGateway } from '../grpc/server.ts';
import { packageVersion } from './version.ts';

export interface GatewayOptions {
  logger?: Logger;
  replicaId?: string;
  /** a `--workers` worker: the store the primary feeds (without Redis), no admin API, no heartbeat */
  store?: ConfigStore;
  admin?: boolean;
  heartbeat?: boolean;
  /** what /metrics serves instead of this process's registry (a worker: the replica's sum) */
  metrics?: OpsDeps['metrics'];
  /** extra fields of /healthz (a worker: its pid) */
  health?: OpsDeps['health'];
}

export interface GatewayHandle {
  readonly replicaId: string;
  readonly dataPort: number;
  readonly adminPort?: number;
  /** the gRPC port, when `grpc.enabled` */
  readonly grpcPort?: number;
  readonly store: ConfigStore;
  readonly sink: LogSink;
  readonly registry: Registry;
  readonly metrics: GatewayMetrics;
  /** stops now: in-flight requests finish (up to limits.shutdown_timeout_ms), then everything is released */
  close(): Promise<void>;
  /** SIGTERM: not ready and `Connection: close` at once, serving for limits.drain_delay_ms, then close() */
  drain(): Promise<void>;
}

export async function startGateway(cfg: FileConfig, opts: GatewayOptions = {}): Promise<GatewayHandle> {
  const logger = opts.logger ?? createLogger('gateway');
  const replicaId = opts.replicaId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const registry = createRegistry('gateway');
  const metrics = new GatewayMetrics(registry);
  const faults = new RedisFaults(registry, cfg.redis?.url ? ['config', 'config-events', 'log', 'gateway'] : []);
  const redis = cfg.redis?.url ? connectRedis(redisSettings(cfg.redis, `modelgate-admin-${replicaId}`, { faults, component: 'gateway' })) : undefined;
  const store = opts.store ?? (await createConfigStore(cfg, { logger, replicaId, heartbeat: opts.heartbeat, faults }));
  await store.start();
  const sink = createLogSink(cfg, { logger, registry, faults });
  const backends = new BackendRegistry();
  const tracer = await createTracer(cfg, process.env, logger);
  const accessLog = createAccessLog(cfg, logger);
  const predict = new PredictHandler({ cfg, store, sink, events: metrics, backends, tracer, accessLog });

  let grpc: GrpcGateway | undefined;
  let closingNow = false;
  const apply = (c: CompiledConfig) => {
    metrics.configApplied(c);
    grpc?.apply(c);
    sink.bindRoutes?.(c.routes.keys());
    const used = new Set<Backend>();
    for (const route of c.routes.values()) {
      const rt = predict.runtime(route);
      for (const b of [...rt.variantBackends, ...rt.shadowBackends]) used.add(b);
    }
    backends.retainOnly(used);
    logger.info({ version: c.version, routes: c.routes.size }, 'config applied');
  };
  apply(store.current());
  const unsubscribe = store.subscribe(apply);

  let outcomes: { close(): Promise<void> } | undefined;
  let draining: DataPlane | undefined; // set once the data plane exists: /readyz reads it
  const ops = opsApp({
    draining: () => draining?.draining ?? false,
    store,
    sink,
    registry,
    replicaId,
    redisFaults: () => faults.active(),
    metrics: opts.metrics,
    health: opts.health,
    extend: (app) => {
      outcomes = mountOutcomes(app, { cfg, store, redis, registry, logger });
    },
  });
  const plane = (draining = createDataPlane(cfg, predict, ops, metrics, logger));
  plane.server.listen(cfg.listen.port, cfg.listen.host);
  await once(plane.server, 'listening');
  const dataPort = (plane.server.address() as AddressInfo).port;
  if (cfg.grpc.enabled) {
    grpc = await startGrpcServer({ cfg, store, sink, events: metrics, ready: () => !closingNow, version: packageVersion() });
    grpc.apply(store.current());
  }
  const admin = cfg.admin.enabled && opts.admin !== false ? await startAdminServer({ cfg, store, redis, prefix: cfg.redis?.prefix ?? 'modelgate', logger, replicaId, registry }, cfg.admin.host, cfg.admin.port) : undefined;
  logger.info({ dataPort, adminPort: admin?.port, grpcPort: grpc?.port, replicaId, store: store.mode }, 'gateway listening');

  let closing: Promise<void> | undefined;
  const shut = (delay: boolean) =>
    (closing ??= (async () => {
      closingNow = true;
      const grpcClosed = grpc?.close(cfg.limits.shutdown_timeout_ms);
      if (!(await drainDataPlane(plane, cfg.limits, delay))) logger.warn({ timeoutMs: cfg.limits.shutdown_timeout_ms }, 'shutdown timeout: open requests cut');
      await grpcClosed;
      unsubscribe();
      await admin?.close();
      await sink.close();
      await outcomes?.close();
      await tracer?.shutdown();
      await store.stop();
      await backends.destroy(); // live requests are drained; detached shadow copies are abandoned
      redis?.disconnect();
    })());

  return { replicaId, dataPort, adminPort: admin?.port, grpcPort: grpc?.port, store, sink, registry, metrics, close: () => shut(false), drain: () => shut(true) };
}
