/**
 * The monitor side of experiments: a WindowConsumer per owned route. While an experiment runs
 * on the route it records the live hash-assigned exposures it is handed (after the start),
 * reads the route's outcome stream with its own cursor (no consumer group: it runs only while
 * this monitor owns the route, and the cursor is kept with its state), joins the two in a
 * bounded tracker, and about every second writes results to `<prefix>:experiment:<route>`
 * (and a point of its course to `<prefix>:experiment-history:<route>`, look-history.ts),
 * ends the experiment on a verdict or a guardrail breach, and feeds metrics.
 *
 * Takeover: the join state and both stream positions are saved with the results (at most
 * every 5 s, and on release), so a new owner resumes from them and skips entries already
 * counted; a crash loses at most the last few seconds of exposures (their outcomes then
 * count as unmatched).
 */
import type { Registry } from 'prom-client';
import type { FileConfig } from '../../config/schema.ts';
import type { ConfigStore } from '../../config/store.ts';
import { compareIds, type LogEntry } from '../../predictions/schema.ts';
import type { ConsumerFactory, RouteContext, WindowConsumer } from '../runtime/window-consumer.ts';
import type { Logger } from '../../telemetry/logger.ts';
import { evaluate, type Look } from './evaluate.ts';
import { createExperimentMetrics, type ExperimentMetrics } from './experiment-metrics.ts';
import { ExperimentStore, type MonitorState } from './experiment-store.ts';
import { outcomesKey } from '../../redis/keys.ts';
import { lookPoint } from './look-history.ts';
import { LookRecorder } from './look-history-store.ts';
import type { ExperimentDoc } from './plan.ts';
import { describeBreach, describeVerdict, zeroLosingArm } from './stop-actions.ts';
import { ExperimentTracker, type Exposure, type OutcomeEvent } from './tracker.ts';

export interface ExperimentConsumerDeps {
  cfg: FileConfig;
  logger: Logger;
  registry?: Registry;
  /** the config store for `on_guardrail: zero_losing_arm` (default: a Redis store opened when needed) */
  store?: ConfigStore;
  /** ms between looks (default 1000) */
  evalMs?: number;
}

const PEEK_MS = 250;
/** the join state can be megabytes: it is saved at most this often (and on release) */
const SAVE_MS = 5000;
const OUTCOME_BATCH = 1000;
const MAX_BATCHES_PER_TICK = 10;
const RECENT_ENTRIES = 20_000;

export const experimentConsumer = (deps: ExperimentConsumerDeps): ConsumerFactory => {
  const metrics = createExperimentMetrics(deps.registry);
  return (ctx) => new ExperimentConsumer(ctx, deps, metrics);
};

export class ExperimentConsumer implements WindowConsumer {
  readonly name = 'experiment';
  private readonly store: ExperimentStore;
  private readonly looks: LookRecorder;
  private doc: ExperimentDoc | undefined;
  private tracker: ExperimentTracker | undefined;
  private lastEntryId = '0-0';
  private cursor = '0-0';
  private previous: Record<string, number> = {};
  private lastPeek = 0;
  private lastLook = 0;
  private lastSave = 0;
  private dirty = false;
  /**
   * The latest live entries, so that an experiment noticed a moment after its start (the doc
   * is polled) still counts the requests served since then.
   */
  private recent: (Exposure & { id: string })[] = [];

  constructor(
    private readonly ctx: RouteContext,
    private readonly deps: ExperimentConsumerDeps,
    private readonly metrics: ExperimentMetrics,
  ) {
    this.store = new ExperimentStore(ctx.redis, ctx.prefix);
    this.looks = new LookRecorder(ctx.redis, ctx.prefix, ctx.route, ctx.monitor.experiment_history_looks);
  }

  private get running(): boolean {
    return this.doc?.status === 'running' && this.tracker !== undefined;
  }

  async start(): Promise<void> {
    await this.refresh(Date.now(), true);
  }

  onEntries(entries: readonly LogEntry[]): void {
    for (const e of entries) if (e.role === 'live') this.recent.push({ id: e.id, rid: e.rid, unit: e.fields.unit ?? '', variant: e.variant, assign: e.assign, ts: e.ts, status: e.status, error: e.error, latencyMs: e.latencyMs });
    if (this.recent.length > RECENT_ENTRIES) this.recent.splice(0, this.recent.length - RECENT_ENTRIES);
    if (this.running) this.expose(this.recent.length - entries.length);
  }

  /** Feeds the recent entries from `from` on (those after the start, not yet counted). */
  private expose(from: number): void {
    const t = this.tracker as ExperimentTracker;
    const since = (this.doc as ExperimentDoc).started_at;
    for (let i = Math.max(0, from); i < this.recent.length; i++) {
      const e = this.recent[i];
      if (compareIds(e.id, this.lastEntryId) <= 0) continue;
      this.lastEntryId = e.id;
      if (e.ts < since) continue;
      t.expose(e);
      this.dirty = true;
    }
  }

  async onWindow(): Promise<void> {
    if (this.running && this.dirty && Date.now() - this.lastSave >= SAVE_MS) await this.look(Date.now(), true);
  }

  async onTick(now: number): Promise<void> {
    if (!this.ctx.owned()) return;
    await this.refresh(now, false);
    if (!this.running) return;
    await this.readOutcomes(now);
    (this.tracker as ExperimentTracker).expire(now, this.ctx.monitor.outcome_join_ms ?? 600_000);
    if (now - this.lastLook >= (this.deps.evalMs ?? 1000)) await this.look(now, now - this.lastSave >= SAVE_MS);
  }

  async stop(): Promise<void> {
    if (this.running && this.dirty && this.ctx.owned()) await this.look(Date.now(), true).catch(() => undefined);
  }

  /** Follows the stored experiment: a new one resets the state, an ended one freezes it. */
  private async refresh(now: number, force: boolean): Promise<void> {
    if (!force && now - this.lastPeek < PEEK_MS) return;
    this.lastPeek = now;
    const { id, status } = await this.store.peek(this.ctx.route);
    if (id === null) {
      if (this.doc) this.metrics.state(this.ctx.route, 'none');
      this.doc = undefined;
      this.tracker = undefined;
      return;
    }
    if (id === this.doc?.id && status === this.doc.status) return;
    const stored = await this.store.load(this.ctx.route);
    if (!stored) return;
    const fresh = stored.doc.id !== this.doc?.id;
    this.doc = stored.doc;
    this.metrics.state(this.ctx.route, this.doc.status);
    if (this.doc.status !== 'running') {
      this.tracker = undefined;
      return;
    }
    if (!fresh) return;
    const max = this.ctx.monitor.experiment_max_units ?? 200_000;
    const state = await this.store.loadState(this.ctx.route, this.doc.id);
    this.tracker = state ? ExperimentTracker.restore(this.doc.plan.arms, max, state.tracker) : new ExperimentTracker(this.doc.plan.arms, max);
    this.lastEntryId = state?.last_entry_id ?? '0-0';
    this.cursor = state?.outcomes_cursor ?? `${this.doc.started_at}-0`;
    this.previous = stored.results?.always_valid ?? {};
    this.dirty = false;
    this.expose(0);
    this.ctx.logger.info({ route: this.ctx.route, experiment: this.doc.id, resumed: Boolean(state) }, 'experiment followed');
  }

  private async readOutcomes(now: number): Promise<void> {
    const t = this.tracker as ExperimentTracker;
    const key = outcomesKey(this.ctx.prefix, this.ctx.route);
    for (let i = 0; i < MAX_BATCHES_PER_TICK; i++) {
      const r = (await this.ctx.redis.xread('COUNT', OUTCOME_BATCH, 'STREAMS', key, this.cursor)) as [string, [string, string[]][]][] | null;
      const rows = r?.[0]?.[1] ?? [];
      for (const [id, flat] of rows) {
        const o = parseOutcome(flat);
        if (o) t.outcome(o, now);
        this.cursor = id;
      }
      if (rows.length) this.dirty = true;
      if (rows.length < OUTCOME_BATCH) return;
    }
  }

  private async look(now: number, save: boolean): Promise<void> {
    const doc = this.doc as ExperimentDoc;
    const t = this.tracker as ExperimentTracker;
    const l = evaluate(doc.id, doc.plan, t, doc.started_at, now, this.previous, this.ctx.monitor.srm_alpha);
    this.lastLook = now;
    this.previous = l.results.always_valid;
    if (!this.ctx.owned()) throw new Error(`lease of route ${this.ctx.route} lost; experiment results not written`);
    const state: MonitorState | undefined = save ? { experiment_id: doc.id, last_entry_id: this.lastEntryId, outcomes_cursor: this.cursor, tracker: t.snapshot() } : undefined;
    await this.store.saveResults(this.ctx.route, doc.id, l.results, state);
    await this.looks.record(doc.id, lookPoint(l.results), Boolean(l.breach || l.verdict));
    if (save) {
      this.lastSave = now;
      this.dirty = false;
    }
    this.metrics.results(this.ctx.route, l.results);
    if (l.breach || l.verdict) await this.end(doc, l, now);
  }

  private async end(doc: ExperimentDoc, l: Look, now: number): Promise<void> {
    const next: ExperimentDoc = { ...doc, ended_at: now };
    if (l.breach) Object.assign(next, { status: 'stopped', breach: l.breach, reason: describeBreach(l.breach) });
    else Object.assign(next, { status: 'concluded', verdict: l.verdict, reason: describeVerdict(l.verdict!, doc.plan.alpha) });
    if (!(await this.store.end(next))) return; // stopped or replaced meanwhile
    this.doc = next;
    this.tracker = undefined;
    this.metrics.state(this.ctx.route, next.status);
    this.ctx.logger.warn({ route: this.ctx.route, experiment: doc.id, status: next.status, reason: next.reason }, 'experiment ended');
    if (l.breach && doc.plan.on_guardrail === 'zero_losing_arm') {
      next.action = await zeroLosingArm(this.deps, this.ctx.route, l.breach.arm, doc.plan.arms[0]);
      await this.store.updateDoc(next);
      this.ctx.logger.warn({ route: this.ctx.route, action: next.action }, 'experiment guardrail action');
    }
  }
}

function parseOutcome(flat: readonly string[]): OutcomeEvent | undefined {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]] = flat[i + 1];
  const value = Number(f.value);
  if (!f.metric || !Number.isFinite(value) || (f.rid === undefined && f.unit === undefined)) return undefined;
  return { rid: f.rid, unit: f.rid === undefined ? f.unit : undefined, metric: f.metric, value, id: f.id };
}
