/**
 * The core loop for one owned route: reclaim what the group still holds pending (a dead
 * owner's entries), then read new entries; drop duplicates (rid, role); give every consumer
 * the entries, then the windows they close; acknowledge a window's entries once all
 * consumers have handled it (so a crash replays whole windows, never half of one); watch the
 * group for lag and for entries trimmed before they were read.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import type { LogEntry } from '../../predictions/schema.ts';
import { RecentKeys } from './dedupe.ts';
import { groupLag, StreamIO, trimmedUnread } from './stream-io.ts';
import type { RouteContext, WindowConsumer } from './window-consumer.ts';
import { TumblingWindows, type Window, type WindowOptions } from './windows.ts';
import { predictionsKey } from '../../redis/keys.ts';

export interface WorkerOptions {
  batch: number;
  pollMs: number;
  windows: WindowOptions;
}


export class RouteWorker {
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly windows: TumblingWindows;
  private readonly recent = new RecentKeys();
  readonly io: StreamIO;

  constructor(
    private readonly ctx: RouteContext,
    redis: Redis,
    consumerName: string,
    private readonly consumers: WindowConsumer[],
    private readonly opts: WorkerOptions,
  ) {
    this.windows = new TumblingWindows(opts.windows);
    this.io = new StreamIO(redis, predictionsKey(ctx.prefix, ctx.route), consumerName);
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private get active(): boolean {
    return !this.stopped && this.ctx.owned();
  }

  /** Runs until stopped or the lease is lost; rejects on a Redis or consumer failure. */
  async run(): Promise<void> {
    try {
      await this.io.ensureGroup();
      for (const c of this.consumers) await c.start?.();
      await this.reclaim();
      let lastTick = 0;
      // While there is a backlog the next read is in flight during processing (Redis works
      // on another core); what it delivered and we never processed is reclaimed on restart.
      let next: ReturnType<StreamIO['read']> | undefined;
      while (this.active) {
        const { entries, stream, group } = await (next ?? this.io.read(this.opts.batch));
        const caughtUp = entries.length < this.opts.batch;
        next = caughtUp ? undefined : this.io.read(this.opts.batch);
        next?.catch(() => undefined); // awaited on the next turn; a stop leaves it unobserved
        if (group) {
          const lost = trimmedUnread(stream, group);
          if (lost > 0) {
            this.ctx.events.lost(this.ctx.route, lost);
            this.ctx.logger.warn({ route: this.ctx.route, lost }, 'prediction log entries were trimmed before the monitor read them');
            if (next) await next.catch(() => undefined);
            await this.io.skipLost(lost);
          }
          this.ctx.events.lag(this.ctx.route, Math.max(0, groupLag(stream, group) - entries.length));
        }
        await this.process(entries);
        const now = Date.now();
        if (caughtUp) await this.closeAll(this.windows.tick(now));
        if (caughtUp || now - lastTick >= this.opts.pollMs) {
          lastTick = now;
          for (const c of this.consumers) await c.onTick?.(now);
        }
        if (caughtUp && this.active) await this.sleep(this.opts.pollMs);
      }
    } finally {
      for (const c of this.consumers) await Promise.resolve(c.stop?.()).catch(() => undefined);
    }
  }

  private async reclaim(): Promise<void> {
    let start = '0-0';
    let lost = 0;
    do {
      const r = await this.io.reclaim(start, this.opts.batch);
      lost += r.deleted;
      await this.process(r.entries);
      start = r.next;
    } while (start !== '0-0' && this.active);
    if (lost > 0) {
      this.ctx.events.lost(this.ctx.route, lost);
      this.ctx.logger.warn({ route: this.ctx.route, lost }, 'pending prediction log entries were trimmed before they were processed');
    }
    await this.io.forgetIdleConsumers().catch(() => undefined);
  }

  private async process(entries: LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const fresh: LogEntry[] = [];
    const repeats: string[] = [];
    for (const e of entries) {
      if (this.recent.firstTime(`${e.rid}\u0000${e.role}`)) fresh.push(e);
      else repeats.push(e.id);
    }
    if (repeats.length) {
      this.ctx.events.duplicates(this.ctx.route, repeats.length);
      await this.io.ack(repeats);
    }
    for (const c of this.consumers) await c.onEntries?.(fresh);
    const closed: Window[] = [];
    for (const e of fresh) {
      const ws = this.windows.add(e);
      for (const w of ws) closed.push(w);
    }
    this.ctx.events.processed(this.ctx.route, fresh.length);
    await this.closeAll(closed);
  }

  private async closeAll(ws: Window[]): Promise<void> {
    for (const w of ws) {
      for (const c of this.consumers) await c.onWindow?.(w);
      await this.io.ack(w.entries.map((e) => e.id));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}
