/**
 * `modelgate ctl drift ROUTE`: the latest drift report as tables (or --json). Registered on
 * the ctl command by src/commands/ctl.ts: `registerDriftCommand(ctl)`.
 */
import type { Command } from 'commander';
import Table from 'cli-table3';
import { AdminClient } from './client.ts';

interface Col {
  kind?: string;
  psi: number | null;
  status: string;
  test?: string;
  pvalue: number | null;
  pvalue_adjusted: number | null;
  wasserstein_normalized?: number | null;
}

interface BaselineView {
  variant: string;
  version: number;
  entries?: number;
  mode?: string;
  period?: { from_ts: number; to_ts: number; days?: number; weeks?: number; hour_of_week?: string };
  fallback?: string;
}

interface VariantView {
  status: string;
  entries: number;
  model_version?: string;
  baseline?: BaselineView | null;
  features: Record<string, Col>;
  output: Col | null;
  judged_at?: string | null;
}

export interface DriftView {
  route: string;
  status?: string;
  updated_at?: string;
  baseline: { version: number; variant: string; entries: number } | null;
  baseline_mode?: { mode: string; days?: number; weeks?: number; refresh_ms?: number };
  variants: Record<string, VariantView>;
  shadows?: Record<string, VariantView>;
}

const day = (ts: number) => new Date(ts).toISOString().replace(/:00\.000Z$/, 'Z').replace('T', ' ');

/** Which reference a variant was judged against: `v1 v3` (fixed), `rolling v5 (2026-11-25 14:00Z .. 2026-12-02 14:00Z, ...)`, `seasonal (Wed 14:00-15:00 UTC, 4 weeks back ...)`. */
export function describeBaseline(b: BaselineView): string {
  const p = b.period;
  let s = b.mode === 'seasonal' ? 'seasonal' : b.mode === 'rolling' ? `rolling v${b.version}` : `${b.variant} v${b.version}`;
  if (p && b.mode === 'seasonal') s += ` (${p.hour_of_week}, ${p.weeks} weeks back from ${day(p.to_ts)}, ${b.entries ?? 0} entries)`;
  else if (p) s += ` (${day(p.from_ts)} .. ${day(p.to_ts)}, ${b.entries ?? 0} entries)`;
  if (b.fallback) s += ` [fallback: ${b.fallback}]`;
  return s;
}

const modeLine = (m: NonNullable<DriftView['baseline_mode']>) =>
  m.mode === 'rolling' ? `baseline mode: rolling, last ${m.days} days, rebuilt every ${Math.round((m.refresh_ms ?? 0) / 60_000)} min` : m.mode === 'seasonal' ? `baseline mode: seasonal, same UTC weekday and hour over the last ${m.weeks} weeks` : 'baseline mode: fixed';

const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '-' : x < 1e-4 && x > 0 ? x.toExponential(2) : x.toFixed(digits));

export function formatDrift(r: DriftView): string {
  const lines = [`route ${r.route}: ${r.status ?? '-'}${r.updated_at ? ` (updated ${r.updated_at})` : ''}`];
  if (r.baseline_mode) lines.push(modeLine(r.baseline_mode));
  lines.push(r.baseline ? `default baseline: ${r.baseline.variant} v${r.baseline.version} (${r.baseline.entries} entries)` : 'default baseline: none');
  const groups: [string, Record<string, VariantView>][] = [['variant', r.variants], ['shadow', r.shadows ?? {}]];
  for (const [label, group] of groups) {
    for (const [name, v] of Object.entries(group)) {
      lines.push('', `${label} ${name}: ${v.status}, ${v.entries} entries${v.model_version ? `, model ${v.model_version}` : ''}${v.baseline ? `, baseline ${describeBaseline(v.baseline)}` : ''}`);
      const cols = [...Object.entries(v.features), ...(v.output ? [['(output)', v.output] as const] : [])];
      if (!cols.length) continue;
      const t = new Table({ head: ['feature', 'status', 'psi', 'test', 'p', 'p (bonferroni)', 'wasserstein/sd'], style: { head: [], border: [] } });
      for (const [f, c] of cols) t.push([f, c.status, fmt(c.psi), c.test ?? '-', fmt(c.pvalue), fmt(c.pvalue_adjusted), fmt(c.wasserstein_normalized ?? null, 3)]);
      lines.push(t.toString());
    }
  }
  return lines.join('\n');
}

export function registerDriftCommand(ctl: Command): void {
  ctl
    .command('drift <route>')
    .description('latest drift report of a route: status per variant, PSI and p-values per feature')
    .action(async (route: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ url?: string; token?: string; json?: boolean }>();
      const client = new AdminClient({ url: o.url ?? process.env.MODELGATE_ADMIN_URL ?? 'http://127.0.0.1:8081', token: o.token ?? process.env.MODELGATE_ADMIN_TOKEN });
      try {
        const r = await client.call<DriftView>('GET', `/admin/routes/${encodeURIComponent(route)}/drift`);
        process.stdout.write(o.json ? `${JSON.stringify(r.body, null, 2)}\n` : `${formatDrift(r.body)}\n`);
      } catch (e) {
        process.stderr.write(`modelgate ctl: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
