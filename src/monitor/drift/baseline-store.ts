/**
 * Reads and writes `<prefix>:baseline:<route>`: one JSON document per route (baseline.ts),
 * changed only by compare-and-set on its version, so the admin API and any monitor can
 * update it concurrently. The version is the document's first key, so the script and
 * `peekVersion` read it without decoding a document that may hold large samples.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { emptyBaselineDoc, type BaselineDoc, type CaptureRequest, type VariantBaseline } from './baseline.ts';
import { baselineKey } from '../../redis/keys.ts';


const CAS = `local cur = redis.call('GET', KEYS[1])
local v = 0
if cur then v = tonumber(string.match(cur, '^{"version":(%d+)')) or -1 end
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

/** Serialises with `version` first (the CAS script depends on it). */
export function encodeBaselineDoc(d: BaselineDoc): string {
  return JSON.stringify({ version: d.version, route: d.route, default: d.default, variants: d.variants, captures: d.captures, ...(d.rolling ? { rolling: d.rolling } : {}) });
}

export class BaselineStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async load(route: string): Promise<BaselineDoc | null> {
    const raw = await this.redis.get(baselineKey(this.prefix, route));
    if (!raw) return null;
    const d = JSON.parse(raw) as BaselineDoc;
    d.variants ??= {};
    d.captures ??= {};
    d.default ??= null;
    return d;
  }

  /** The document's version (0 when there is none), reading only its first bytes. */
  async peekVersion(route: string): Promise<number> {
    const head = await this.redis.getrange(baselineKey(this.prefix, route), 0, 40);
    const m = /^\{"version":(\d+)/.exec(head);
    return m ? Number(m[1]) : 0;
  }

  /**
   * Applies `change` to the current document and stores it with version + 1; `change`
   * returns false to leave the document as it is. Retried on concurrent updates.
   */
  async update(route: string, change: (doc: BaselineDoc) => boolean): Promise<BaselineDoc | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const cur = (await this.load(route)) ?? emptyBaselineDoc(route);
      const next = structuredClone(cur);
      if (!change(next)) return null;
      next.version = cur.version + 1;
      const ok = await this.redis.eval(CAS, 1, baselineKey(this.prefix, route), String(cur.version), encodeBaselineDoc(next));
      if (Number(ok) === 1) return next;
    }
    throw new Error(`baseline of route ${route} changed concurrently 20 times; giving up`);
  }

  /** Sets one variant's reference; it becomes the route default when there is none or when asked. */
  setVariant(route: string, b: Omit<VariantBaseline, 'version'>, makeDefault = false): Promise<BaselineDoc | null> {
    return this.update(route, (d) => {
      d.variants[b.variant] = { ...b, version: d.version + 1 };
      if (makeDefault || d.default === null || !d.variants[d.default]) d.default = b.variant;
      return true;
    });
  }

  requestCapture(route: string, req: CaptureRequest): Promise<BaselineDoc | null> {
    return this.update(route, (d) => {
      d.captures[req.variant] = req;
      return true;
    });
  }

  /** Stores the rolling reference of one window key (`live:v1`); it gets the new document version. */
  setRolling(route: string, key: string, b: Omit<VariantBaseline, 'version'>): Promise<BaselineDoc | null> {
    return this.update(route, (d) => {
      (d.rolling ??= {})[key] = { ...b, version: d.version + 1 };
      return true;
    });
  }

  /** Stores a finished capture, unless the request was replaced meanwhile. */
  completeCapture(route: string, req: CaptureRequest, b: Omit<VariantBaseline, 'version'>): Promise<BaselineDoc | null> {
    return this.update(route, (d) => {
      const cur = d.captures[req.variant];
      if (!cur || cur.after !== req.after || cur.requested_at !== req.requested_at) return false;
      delete d.captures[req.variant];
      d.variants[req.variant] = { ...b, version: d.version + 1 };
      d.default = req.variant;
      return true;
    });
  }
}
