/**
 * An experiment in Redis: one hash per route, `<prefix>:experiment:<route>` (one key, so every
 * script below runs on one cluster slot), fields
 *   id       the experiment id (a new one per start)
 *   status   running | concluded | stopped
 *   doc      JSON ExperimentDoc: plan, status, verdict, breach, action
 *   results  JSON Results, rewritten by the monitor about every second
 *   state    JSON monitor state (join structures, stream positions) for a takeover
 * Writes by the monitor are compare-and-set on `id` (and on `running` for a status change), so
 * a result of an old experiment never lands on a new one, and a stop is never undone.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import type { Results } from './evaluate.ts';
import type { ExperimentDoc, ExperimentStatus } from './plan.ts';
import type { TrackerSnapshot } from './tracker.ts';
import { experimentKey } from '../../redis/keys.ts';


export interface MonitorState {
  experiment_id: string;
  /** the last prediction-log entry accounted for */
  last_entry_id: string;
  /** the last outcome-stream entry read */
  outcomes_cursor: string;
  tracker: TrackerSnapshot;
}

/** KEYS[1]; ARGV: id, then field/value pairs. Writes only while the stored id is ARGV[1]. */
const SET_IF_ID = `
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return 0 end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1`;

/** KEYS[1]; ARGV: id, new status, doc. Only a running experiment with this id changes status. */
const END_IF_RUNNING = `
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'doc', ARGV[3])
return 1`;

/** KEYS[1]; ARGV: id, doc. Starts unless one is running. */
const START = `
if redis.call('HGET', KEYS[1], 'status') == 'running' then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'status', 'running', 'doc', ARGV[2])
return 1`;

export class ExperimentStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(route: string): string {
    return experimentKey(this.prefix, route);
  }

  async load(route: string): Promise<{ doc: ExperimentDoc; results: Results | null } | null> {
    const [doc, results] = await this.redis.hmget(this.key(route), 'doc', 'results');
    if (!doc) return null;
    return { doc: JSON.parse(doc) as ExperimentDoc, results: results ? (JSON.parse(results) as Results) : null };
  }

  async peek(route: string): Promise<{ id: string | null; status: ExperimentStatus | null }> {
    const [id, status] = await this.redis.hmget(this.key(route), 'id', 'status');
    return { id, status: status as ExperimentStatus | null };
  }

  async loadState(route: string, id: string): Promise<MonitorState | null> {
    const raw = await this.redis.hget(this.key(route), 'state');
    if (!raw) return null;
    const s = JSON.parse(raw) as MonitorState;
    return s.experiment_id === id ? s : null;
  }

  /** false when an experiment is already running on the route */
  async start(doc: ExperimentDoc): Promise<boolean> {
    return (await this.redis.eval(START, 1, this.key(doc.route), doc.id, JSON.stringify(doc))) === 1;
  }

  /** Ends a running experiment (concluded or stopped); false when it is no longer running. */
  async end(doc: ExperimentDoc): Promise<boolean> {
    return (await this.redis.eval(END_IF_RUNNING, 1, this.key(doc.route), doc.id, doc.status, JSON.stringify(doc))) === 1;
  }

  /** Rewrites the doc of experiment `id` (e.g. to record an action), whatever its status. */
  async updateDoc(doc: ExperimentDoc): Promise<boolean> {
    return (await this.redis.eval(SET_IF_ID, 1, this.key(doc.route), doc.id, 'doc', JSON.stringify(doc))) === 1;
  }

  async saveResults(route: string, id: string, results: Results, state?: MonitorState): Promise<boolean> {
    const args = ['results', JSON.stringify(results)];
    if (state) args.push('state', JSON.stringify(state));
    return (await this.redis.eval(SET_IF_ID, 1, this.key(route), id, ...args)) === 1;
  }

  async remove(route: string): Promise<boolean> {
    return (await this.redis.del(this.key(route))) > 0;
  }
}
