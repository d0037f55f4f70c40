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

interface VariantView {
  status: string;
  entries: number;
  model_version?: string;
  baseline?: { variant: string; version: number } | null;
  features: Record<string, Col>;
  output: Col | null;
  judged_at?: string | null;
}

export interface DriftView {
  route: string;
  status?: string;
  updated_at?: string;
  baseline: { version: number; variant: string; entries: number } | null;
  variants: Record<string, VariantView>;
  shadows?: Record<string, VariantView>;
}

const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '-' : x < 1e-4 && x > 0 ? x.toExponential(2) : x.toFixed(digits));

export function formatDrift(r: DriftView): string {
  const lines = [`route ${r.route}: ${r.status ?? '-'}${r.updated_at ? ` (updated ${r.updated_at})` : ''}`];
  lines.push(r.baseline ? `default baseline: ${r.baseline.variant} v${r.baseline.version} (${r.baseline.entries} entries)` : 'default baseline: none');
  const groups: [string, Record<string, VariantView>][] = [['variant', r.variants], ['shadow', r.shadows ?? {}]];
  for (const [label, group] of groups) {
    for (const [name, v] of Object.entries(group)) {
      lines.push('', `${label} ${name}: ${v.status}, ${v.entries} entries${v.model_version ? `, model ${v.model_version}` : ''}${v.baseline ? `, baseline ${v.baseline.variant} v${v.baseline.version}` : ''}`);
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
