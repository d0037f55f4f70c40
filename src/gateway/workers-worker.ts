/**
 * The worker side of `gateway --workers N`: a full data plane (no admin API, no replica
 * heartbeat: the primary owns both) that serves /metrics as the sum over every worker of the
 * replica, asked from the primary. Without Redis it serves the snapshots the primary sends;
 * with Redis it follows the shared store itself, like any replica.
 */
import cluster from 'node:cluster';
import type { FileConfig } from '../config/schema.ts';
import { initialSnapshot } from '../config/snapshot.ts';
import { FollowerConfigStore } from './follower-store.ts';
import type { GatewayHandle, GatewayOptions } from './start.ts';
import { COLLECT_TIMEOUT_MS, REPLICA_ID_ENV, isMessage, type MetricsJson, type PrimaryMessage, type WorkerMessage } from './workers-messages.ts';

/** how long a worker's /metrics waits for the primary's aggregate (it waits for every worker) */
const METRICS_TIMEOUT_MS = COLLECT_TIMEOUT_MS + 3_000;

const send = (m: WorkerMessage) => {
  if (process.connected) process.send?.(m);
};

/** Options for startGateway in a cluster worker; {} in a single-process gateway. */
export async function clusterWorkerOptions(cfg: FileConfig): Promise<Partial<GatewayOptions>> {
  if (!cluster.isWorker) return {};
  const pending = new Map<number, (r: Extract<PrimaryMessage, { t: 'mg:metrics-res' }>) => void>();
  let nextId = 1;
  let follower: FollowerConfigStore | undefined;
  let first: ((s: PrimaryMessage) => void) | undefined;
  process.on('message', (m: unknown) => {
    if (!isMessage<PrimaryMessage>(m)) return;
    if (m.t === 'mg:snapshot') {
      if (m.snapshot) follower?.offer(m.snapshot);
      first?.(m);
    } else if (m.t === 'mg:metrics-res') {
      pending.get(m.id)?.(m);
      pending.delete(m.id);
    }
  });

  const options: Partial<GatewayOptions> = {
    replicaId: process.env[REPLICA_ID_ENV],
    admin: false,
    heartbeat: false,
    health: { pid: process.pid, worker: cluster.worker?.id },
    metrics: () =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('the primary process did not answer with the replica metrics'));
        }, METRICS_TIMEOUT_MS);
        pending.set(id, (r) => {
          clearTimeout(timer);
          if (r.ok) resolve({ body: r.body, contentType: r.contentType });
          else reject(new Error(r.message));
        });
        send({ t: 'mg:metrics-req', id });
      }),
  };
  if (!cfg.redis?.url) {
    // the primary's in-memory store is the truth: start from its current snapshot
    const got = await new Promise<PrimaryMessage | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 10_000);
      first = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      send({ t: 'mg:hello' });
    });
    first = undefined;
    const snap = got?.t === 'mg:snapshot' && got.snapshot ? got.snapshot : initialSnapshot(cfg);
    follower = new FollowerConfigStore(snap);
    options.store = follower;
  }
  return options;
}

/** Once the worker's gateway listens: tell the primary, and answer its metric collections. */
export function announceWorker(gw: GatewayHandle): void {
  if (!cluster.isWorker) return;
  process.on('message', (m: unknown) => {
    if (!isMessage<PrimaryMessage>(m) || m.t !== 'mg:collect') return;
    gw.registry.getMetricsAsJSON().then(
      (json) => send({ t: 'mg:metrics-json', id: m.id, json: json as MetricsJson }),
      () => {},
    );
  });
  send({ t: 'mg:listening', port: gw.dataPort });
}
