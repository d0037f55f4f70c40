/**
 * `modelgate ctl performance ROUTE`: model quality from delayed labels as a table per variant
 * and shadow (or --json; --windows adds a table per window of prediction time). Registered
 * on the ctl command by src/commands/ctl.ts: `registerPerformanceCommand(ctl)`.
 */
import type { Command } from 'commander';
import Table from 'cli-table3';
import type { ArmReport, PerformanceReport, QualityFigures } from '../monitor/performance/performance-report.ts';
import { AdminClient } from './client.ts';

const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '-' : x.toFixed(digits));

const COLUMNS: Record<PerformanceReport['task'], [string, (f: QualityFigures) => string][]> = {
  binary: [
    ['auc', (f) => fmt(f.auc)],
    ['log loss', (f) => fmt(f.log_loss)],
    ['brier', (f) => fmt(f.brier)],
    ['ece', (f) => fmt(f.ece)],
    ['precision', (f) => fmt(f.precision, 3)],
    ['recall', (f) => fmt(f.recall, 3)],
    ['positives', (f) => String(f.positives ?? '-')],
  ],
  regression: [
    ['mae', (f) => fmt(f.mae)],
    ['rmse', (f) => fmt(f.rmse)],
    ['mean prediction', (f) => fmt(f.mean_prediction)],
    ['mean label', (f) => fmt(f.mean_label)],
  ],
  classes: [['accuracy', (f) => fmt(f.accuracy)]],
};

export function formatPerformance(r: PerformanceReport, windows = false): string {
  const cols = COLUMNS[r.task] ?? COLUMNS.binary;
  const l = r.labels;
  const lines = [
    `route ${r.route}: ${r.status}, task ${r.task}${r.threshold !== undefined ? ` (threshold ${r.threshold})` : ''}, ${r.windows_kept} windows of ${r.window_ms / 1000} s${r.updated_at ? ` (updated ${r.updated_at})` : ''}`,
    `labels: ${l.matched} matched, ${l.pending} pending, ${l.unmatched} unmatched, ${l.duplicate} duplicate, ${l.invalid_label} invalid, ${l.invalid_prediction} without a usable prediction, ${l.expired} expired`,
  ];
  const arms: [string, ArmReport][] = [...Object.entries(r.variants), ...Object.entries(r.shadows)];
  const t = new Table({ head: ['name', 'role', 'labels', ...cols.map(([h]) => h)], style: { head: [], border: [] } });
  for (const [name, a] of arms) t.push([name, a.role, String(a.labels) + (a.overflow ? ` (+${a.overflow} over the bound)` : ''), ...cols.map(([, f]) => f(a))]);
  lines.push(t.toString());
  if (windows) {
    for (const [name, a] of arms) {
      if (!a.windows.length) continue;
      const w = new Table({ head: ['window start', 'labels', ...cols.map(([h]) => h)], style: { head: [], border: [] } });
      for (const x of a.windows) w.push([new Date(x.start).toISOString(), String(x.labels), ...cols.map(([, f]) => f(x))]);
      lines.push('', `${a.role} ${name}:`, w.toString());
    }
  }
  return lines.join('\n');
}

export function registerPerformanceCommand(ctl: Command): void {
  ctl
    .command('performance <route>')
    .description('model quality from delayed labels: AUC, log loss, calibration ... per variant and shadow')
    .option('--windows', 'also show each window of prediction time')
    .action(async (route: string, opts: { windows?: boolean }, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ url?: string; token?: string; json?: boolean }>();
      const client = new AdminClient({ url: o.url ?? process.env.MODELGATE_ADMIN_URL ?? 'http://127.0.0.1:8081', token: o.token ?? process.env.MODELGATE_ADMIN_TOKEN });
      try {
        const r = await client.call<PerformanceReport>('GET', `/admin/routes/${encodeURIComponent(route)}/performance`);
        process.stdout.write(o.json ? `${JSON.stringify(r.body, null, 2)}\n` : `${formatPerformance(r.body, opts.windows)}\n`);
      } catch (e) {
        process.stderr.write(`modelgate ctl: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
