/**
 * The primary's side of a replica's /metrics: asks every listening worker for its registry as
 * JSON, adds the primary's own (worker restarts, process metrics), and sums them
 * (prom-client's AggregatorRegistry). A worker that does not answer in time is left out of
 * that scrape and counted, so one stuck worker cannot stall /metrics.
 */
import type { Worker } from 'node:cluster';
import { Counter, Gauge, type Registry } from 'prom-client';
import { aggregateMetrics, aggregatedRegistry } from '../telemetry/registry.ts';
import { COLLECT_TIMEOUT_MS, type MetricsJson, type PrimaryMessage } from './workers-messages.ts';

export class WorkerMetrics {
  readonly restarts: Counter;
  readonly collectTimeouts: Counter;
  private readonly pending = new Map<number, (json: MetricsJson) => void>();
  private nextId = 1;

  constructor(
    private readonly registry: Registry,
    private readonly live: () => Worker[],
  ) {
    const registers = [registry];
    this.restarts = new Counter({ name: 'modelgate_worker_restarts_total', help: 'Gateway worker processes (--workers) that exited unexpectedly and were restarted', registers });
    this.collectTimeouts = new Counter({ name: 'modelgate_worker_metrics_timeouts_total', help: 'Scrapes of /metrics that left out a worker which did not answer in time', registers });
    const alive = () => this.live().length;
    new Gauge({ name: 'modelgate_workers', help: 'Gateway worker processes (--workers) listening in this replica', registers, collect() { this.set(alive()); } });
  }

  /** a worker's answer to mg:collect */
  received(id: number, json: MetricsJson): void {
    this.pending.get(id)?.(json);
    this.pending.delete(id);
  }

  private ask(w: Worker): Promise<MetricsJson | undefined> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.collectTimeouts.inc();
        resolve(undefined);
      }, COLLECT_TIMEOUT_MS);
      this.pending.set(id, (json) => {
        clearTimeout(timer);
        resolve(json);
      });
      try {
        w.send({ t: 'mg:collect', id } satisfies PrimaryMessage);
      } catch {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(undefined);
      }
    });
  }

  /** the registries of the primary and of every worker that answered in time */
  private async parts(): Promise<MetricsJson[]> {
    const parts = await Promise.all(this.live().map((w) => this.ask(w)));
    const own = await this.registry.getMetricsAsJSON();
    return [own, ...parts.filter((p): p is MetricsJson => p !== undefined)];
  }

  /** the replica's exposition: the sum over the primary and every worker that answered */
  async collect(): Promise<{ body: string; contentType: string }> {
    return { body: await aggregateMetrics(await this.parts()), contentType: this.registry.contentType };
  }

  /** the same sum as a registry (the admin API's live stats read their counters from it) */
  async aggregated(): Promise<Registry> {
    return aggregatedRegistry(await this.parts());
  }
}
