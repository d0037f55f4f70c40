/**
 * `modelgate gateway --workers N`: the primary process of one replica. It owns the admin API,
 * the config store (and, with Redis, the replica heartbeat), forks N data-plane workers that
 * share the data port (node:cluster), restarts a worker that dies (counted, with backoff for
 * one that dies at start), answers the workers' /metrics with the sum over all of them (and
 * reads the admin API's live stats from the same sum), and
 * on SIGTERM drains every worker before it exits 0.
 * Without Redis the primary's in-memory store is the truth: every new snapshot is broadcast
 * to the workers over IPC (and sent to a new worker when it says hello).
 */
import cluster, { type Worker } from 'node:cluster';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FileConfig } from '../config/schema.ts';
import { createConfigStore } from '../config/create-store.ts';
import { connectRedis, redisSettings } from '../redis/connect.ts';
import { startAdminServer } from '../admin/server.ts';
import { createRegistry } from '../telemetry/registry.ts';
import type { Logger } from '../telemetry/logger.ts';
import { restartDelayMs } from './workers-count.ts';
import { WorkerMetrics } from './workers-metrics.ts';
import { REPLICA_ID_ENV, isMessage, type PrimaryMessage, type WorkerMessage } from './workers-messages.ts';

/** a worker that dies before it listens, or sooner than this after, counts as crashing at start */
const QUICK_CRASH_MS = 5_000;

export async function runPrimary(cfg: FileConfig, workers: number, logger: Logger): Promise<void> {
  const replicaId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const registry = createRegistry('gateway');
  const listening = new Map<number, Worker>();
  const metrics = new WorkerMetrics(registry, () => [...listening.values()].filter((w) => w.isConnected()));
  const redis = cfg.redis?.url ? connectRedis(redisSettings(cfg.redis, `modelgate-admin-${replicaId}`)) : undefined;
  const store = await createConfigStore(cfg, { logger, replicaId });
  await store.start();
  const admin = cfg.admin.enabled ? await startAdminServer({ cfg, store, redis, prefix: cfg.redis?.prefix ?? 'modelgate', logger, replicaId, trafficRegistry: () => metrics.aggregated() }, cfg.admin.host, cfg.admin.port) : undefined;

  const snapshotMessage = (): PrimaryMessage => ({ t: 'mg:snapshot', snapshot: store.mode === 'memory' ? store.current().snapshot : null });
  const unsubscribe = store.mode === 'memory' ? store.subscribe(() => broadcast(snapshotMessage())) : () => {};
  function broadcast(m: PrimaryMessage) {
    for (const w of Object.values(cluster.workers ?? {})) if (w?.isConnected()) w.send(m);
  }

  let stopping = false;
  let quickCrashes = 0;
  const listenedAt = new Map<number, number>();
  const restartTimers = new Set<NodeJS.Timeout>();
  let firstListening: (() => void) | undefined;
  const allListening = new Promise<void>((r) => (firstListening = r));
  let dataPort = 0;
  let started = false;

  const fork = () => {
    const w = cluster.fork({ [REPLICA_ID_ENV]: replicaId });
    // a send to a worker that just died fails with an 'error' event: its 'exit' handles the rest
    w.on('error', (err) => logger.warn({ err, worker: w.id }, 'IPC to a gateway worker failed'));
  };
  cluster.on('message', (w: Worker, m: unknown) => {
    if (!isMessage<WorkerMessage>(m)) return;
    if (m.t === 'mg:hello') w.send(snapshotMessage());
    else if (m.t === 'mg:listening') {
      dataPort = m.port;
      listening.set(w.id, w);
      listenedAt.set(w.id, Date.now());
      if (listening.size >= workers) firstListening?.();
    } else if (m.t === 'mg:metrics-json') metrics.received(m.id, m.json);
    else if (m.t === 'mg:metrics-req')
      metrics.collect().then(
        (r) => w.isConnected() && w.send({ t: 'mg:metrics-res', id: m.id, ok: true, ...r } satisfies PrimaryMessage),
        (e: Error) => w.isConnected() && w.send({ t: 'mg:metrics-res', id: m.id, ok: false, message: e.message } satisfies PrimaryMessage),
      );
  });
  cluster.on('exit', (w: Worker, code: number | null, signal: string | null) => {
    listening.delete(w.id);
    const since = listenedAt.get(w.id);
    listenedAt.delete(w.id);
    if (stopping) return;
    metrics.restarts.inc();
    quickCrashes = since === undefined || Date.now() - since < QUICK_CRASH_MS ? quickCrashes + 1 : 0;
    if (!started && quickCrashes > workers) {
      // no worker ever listened and they keep dying (port taken, bad environment): fail like a
      // single-process gateway would, instead of retrying forever
      logger.fatal({ worker: w.id, code, signal }, 'gateway workers die before listening: giving up');
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGKILL');
      process.exit(1);
    }
    const delay = restartDelayMs(quickCrashes);
    logger.error({ worker: w.id, pid: w.process.pid, code, signal, restartInMs: delay }, 'gateway worker exited: restarting it');
    const t = setTimeout(() => {
      restartTimers.delete(t);
      if (!stopping) fork();
    }, delay);
    restartTimers.add(t);
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    for (const t of restartTimers) clearTimeout(t);
    logger.info({ signal, workers: Object.keys(cluster.workers ?? {}).length }, 'shutting down: draining every worker');
    const drainDelay = (cfg.limits as { drain_delay_ms?: number }).drain_delay_ms ?? 0;
    const deadline = setTimeout(() => {
      logger.error('workers did not exit in time: killing them');
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exitCode = 1;
    }, drainDelay + cfg.limits.shutdown_timeout_ms + 5_000);
    deadline.unref();
    const exited = Object.values(cluster.workers ?? {}).map((w) => new Promise<void>((r) => (w!.isDead() ? r() : w!.once('exit', () => r()))));
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    Promise.all(exited)
      .then(async () => {
        clearTimeout(deadline);
        unsubscribe();
        await admin?.close();
        await store.stop();
        redis?.disconnect();
      })
      .then(
        () => process.exit(process.exitCode ?? 0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < workers; i++) fork();
  await allListening;
  started = true;
  logger.info({ dataPort, adminPort: admin?.port, replicaId, workers, store: store.mode }, 'gateway listening');
}
