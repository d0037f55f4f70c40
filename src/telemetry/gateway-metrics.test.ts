import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { initialSnapshot } from '../config/snapshot.ts';
import { ERROR_CODES } from '../errors.ts';
import { compileConfig } from '../routing/compile.ts';
import { GatewayMetrics } from './gateway-metrics.ts';
import { BACKEND_STATUSES, GATEWAY_CODES, NO_ERROR, REJECT_CODES } from './request-labels.ts';
import { createRegistry, DROPPED_DEFAULT_METRICS } from './registry.ts';

const variants = [
  { name: 'v1', backend: 'http://127.0.0.1:9001', weight: 50 },
  { name: 'v2', backend: 'http://127.0.0.1:9002', weight: 50 },
];
const file = parseConfig(
  {
    routes: {
      open: { models: ['open'], unit: { header: 'x-user-id' }, override_header: 'x-variant', variants },
      strict: { models: ['strict'], unit: { header: 'x-user-id' }, on_missing_unit: 'reject', variants },
    },
  },
  't',
  {},
);

interface Sample {
  labels: Record<string, string>;
  value: number;
}
async function requestSeries(reg: Registry): Promise<Sample[]> {
  const m = await reg.getSingleMetric('modelgate_requests_total')!.get();
  return m.values.map((v) => ({ labels: v.labels as Record<string, string>, value: v.value }));
}

function setup() {
  const registry = new Registry();
  const metrics = new GatewayMetrics(registry);
  const config = compileConfig(initialSnapshot(file));
  metrics.configApplied(config);
  return { registry, metrics, config };
}

describe('modelgate_requests_total', () => {
  it('exports every status/code/assign the route can produce at zero before any request', async () => {
    const { registry } = setup();
    const series = await requestSeries(registry);
    expect(series.every((s) => s.value === 0)).toBe(true);
    const keys = new Set(series.map((s) => `${s.labels.route}|${s.labels.variant}|${s.labels.status}|${s.labels.code}|${s.labels.assign}`));
    const pairs = [...BACKEND_STATUSES.map((s) => [s, NO_ERROR] as const), ...GATEWAY_CODES.map((c) => [ERROR_CODES[c].status, c] as const)];
    // `open` can assign by hash, at random (no unit) and forced; `strict` rejects a missing unit and has no override
    for (const [route, assigns] of [['open', ['hash', 'random', 'forced']], ['strict', ['hash']]] as const)
      for (const v of ['v1', 'v2']) for (const a of assigns) for (const [status, code] of pairs) expect(keys, `${route} ${v} ${status} ${code} ${a}`).toContain(`${route}|${v}|${status}|${code}|${a}`);
    expect(series.filter((s) => s.labels.route === 'strict' && s.labels.assign !== 'hash')).toEqual([]);
    expect(keys.size).toBe(series.length);
    expect(series.length).toBe(2 * pairs.length * (3 + 1));
  });

  it('`status` holds the HTTP status and `code` the error code (none when the backend answered)', async () => {
    const { registry, metrics, config } = setup();
    const open = config.routes.get('open')!;
    metrics.response(open, 0, 200, 'hash', 0.01);
    metrics.response(open, 0, 500, 'hash', 0.01); // the backend's own 500, passed through
    metrics.response(open, 1, 504, 'forced', 0.01, 'UPSTREAM_TIMEOUT');
    metrics.response(open, 1, 418, 'random', 0.01); // a status outside the pre-created list
    const series = await requestSeries(registry);
    const value = (l: Record<string, string>) => series.find((s) => Object.entries(l).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value({ route: 'open', variant: 'v1', status: '200', code: 'none', assign: 'hash' })).toBe(1);
    expect(value({ route: 'open', variant: 'v1', status: '500', code: 'none', assign: 'hash' })).toBe(1);
    expect(value({ route: 'open', variant: 'v2', status: '504', code: 'UPSTREAM_TIMEOUT', assign: 'forced' })).toBe(1);
    expect(value({ route: 'open', variant: 'v2', status: '418', code: 'none', assign: 'random' })).toBe(1);
    for (const s of series) {
      expect(s.labels.status).toMatch(/^[1-5]\d\d$/);
      expect(s.labels.code === NO_ERROR || s.labels.code in ERROR_CODES, s.labels.code).toBe(true);
    }
  });

  it('refusals: every code at zero from the start, by error code', async () => {
    const { registry, metrics } = setup();
    metrics.rejected('INVALID_JSON');
    const m = await registry.getSingleMetric('modelgate_rejected_requests_total')!.get();
    expect(m.values.map((v) => v.labels.code).sort()).toEqual([...REJECT_CODES].sort());
    expect(m.values.find((v) => v.labels.code === 'INVALID_JSON')?.value).toBe(1);
    for (const c of REJECT_CODES) expect(c in ERROR_CODES).toBe(true);
  });
});

describe('process metrics', () => {
  it('are exported under their standard names, never with the modelgate_ prefix', async () => {
    const text = await createRegistry('gateway').metrics();
    for (const n of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds', 'nodejs_version_info'])
      expect(text).toMatch(new RegExp(`^# TYPE ${n} `, 'm'));
    expect(text).not.toMatch(/^modelgate_(process|nodejs)_/m);
    for (const n of DROPPED_DEFAULT_METRICS) expect(text).not.toMatch(new RegExp(`^${n}[ {]`, 'm'));
  });
});
