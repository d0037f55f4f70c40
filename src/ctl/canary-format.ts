/** Tables for `modelgate ctl canary ...` and `ctl shadows report` (cli-table3); --json bypasses them. */
import Table from 'cli-table3';

const table = (head: string[]) => new Table({ head, style: { head: [], border: [] } });
const when = (ts: number | null | undefined) => (ts ? new Date(ts).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');
const num = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(d));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${+(x * 100).toFixed(2)}%`);

interface CheckView {
  check: string;
  action: string;
  status: string;
  detail: string;
}

export interface CanaryView {
  route: string;
  state: string;
  step: number;
  weight: number;
  reason: string | null;
  canary: string;
  stable: string;
  steps: number[];
  started_at: number;
  started_by: string;
  step_started_at: number;
  step_requests: number;
  config_version: number | null;
  plan: { step_min_ms: number; step_min_requests: number };
  warnings?: string[];
  last_window: { start_ts: number; end_ts: number; canary: { requests: number; error_rate: number; p99_ms: number | null }; stable: { requests: number; error_rate: number; p99_ms: number | null }; checks: CheckView[] } | null;
  history: { at: number; from: string | null; to: string; step: number; weight: number; reason: string | null; by: string }[];
}

export function formatCanary(d: CanaryView): string {
  const steps = d.steps.map((s, i) => (i === d.step ? `[${s}%]` : `${s}%`)).join(' → ');
  const lines = [
    `route ${d.route}: ${d.state.toUpperCase()}${d.reason ? ` (${d.reason})` : ''}`,
    `canary ${d.canary} at ${d.weight}% (stable ${d.stable}); steps ${steps}`,
    `step ${d.step + 1}/${d.steps.length} since ${when(d.step_started_at)}: ${d.step_requests}/${d.plan.step_min_requests} canary requests, min ${d.plan.step_min_ms} ms; config version ${d.config_version ?? 'pending'}`,
  ];
  if (d.warnings?.length) lines.push(`warnings: ${d.warnings.join(', ')}`);
  const w = d.last_window;
  if (w) {
    lines.push('', `last window ${when(w.start_ts)} .. ${when(w.end_ts)}`);
    const a = table(['arm', 'requests', '5xx share', 'p99 ms']);
    a.push(['canary', String(w.canary.requests), pct(w.canary.error_rate), num(w.canary.p99_ms, 1)], ['stable', String(w.stable.requests), pct(w.stable.error_rate), num(w.stable.p99_ms, 1)]);
    lines.push(a.toString());
    const t = table(['check', 'action', 'result', 'detail']);
    for (const c of w.checks) t.push([c.check, c.action, c.status, c.detail]);
    if (w.checks.length) lines.push(t.toString());
  }
  const h = table(['when', 'from', 'to', 'step', 'weight', 'by', 'reason']);
  for (const x of d.history.slice(-10)) h.push([when(x.at), x.from ?? '-', x.to, String(x.step + 1), `${x.weight}%`, x.by, x.reason ?? '-']);
  lines.push('', h.toString());
  return lines.join('\n');
}

interface ShadowSummary {
  start_ts: number;
  end_ts: number;
  entries: number;
  requests: number;
  error_share: number | null;
  dropped: number;
  compared: number;
  agreement_rate: number | null;
  unmatched: number;
  tolerance: number;
  diff: { mean: number | null; p50: number | null; p90: number | null; p99: number | null; max: number | null };
  latency_ms: { p50: number | null; p90: number | null; p99: number | null };
  live_latency_ms: { p50: number | null; p90: number | null; p99: number | null };
}

export interface ShadowReportView {
  route: string;
  status: string;
  updated_at: string | null;
  shadows: Record<string, { latest: ShadowSummary | null; windows: ShadowSummary[]; totals: { windows: number; entries: number; agreement_rate: number | null; error_share: number | null } }>;
}

export function formatShadowReport(r: ShadowReportView): string {
  const lines = [`route ${r.route}: shadow reports ${r.status}${r.updated_at ? ` (updated ${r.updated_at})` : ''}`];
  if (!Object.keys(r.shadows).length) return `${lines[0]}\nno shadows`;
  const t = table(['shadow', 'window end', 'requests', 'agreement', 'compared', 'Δ mean', 'Δ p90', 'Δ max', 'errors', 'dropped', 'p50 ms', 'p99 ms', 'live p99 ms']);
  for (const [name, s] of Object.entries(r.shadows)) {
    const l = s.latest;
    if (!l) {
      t.push([name, 'no window yet', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-']);
      continue;
    }
    t.push([name, when(l.end_ts), String(l.requests), pct(l.agreement_rate), String(l.compared), num(l.diff.mean, 4), num(l.diff.p90, 4), num(l.diff.max, 4), pct(l.error_share), String(l.dropped), num(l.latency_ms.p50, 1), num(l.latency_ms.p99, 1), num(l.live_latency_ms.p99, 1)]);
  }
  lines.push(t.toString());
  const tot = table(['shadow', 'windows', 'entries', 'agreement (all)', 'errors (all)']);
  for (const [name, s] of Object.entries(r.shadows)) tot.push([name, String(s.totals.windows), String(s.totals.entries), pct(s.totals.agreement_rate), pct(s.totals.error_share)]);
  lines.push(tot.toString());
  return lines.join('\n');
}
