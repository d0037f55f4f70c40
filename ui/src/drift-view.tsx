/**
 * Drift of a route: per variant (and shadow) each feature's and the output's PSI and test
 * statistic with its status, the PSI as bars against the report's thresholds, the baseline's
 * and the current window's histograms side by side, and the PSI and adjusted p-value per
 * window from the monitor's persisted history (GET …/drift/history), thresholds drawn in.
 */
import { enc, get } from './api.ts';
import { Chart, color } from './chart.tsx';
import { ErrorLine } from './error-line.tsx';
import { num, when } from './format.ts';
import { HistogramPair } from './histogram-pair.tsx';
import { PsiBars } from './psi-bars.tsx';
import { usePoll } from './hooks.ts';

function Columns({ cols }: { cols: [string, any][] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>feature</th>
          <th>status</th>
          <th>PSI</th>
          <th>test</th>
          <th>statistic</th>
          <th>p (adjusted)</th>
          <th>n</th>
        </tr>
      </thead>
      <tbody>
        {cols.map(([name, c]) => (
          <tr data-feature={name} class={c.status === 'significant' ? 'flagged' : undefined}>
            <td>{name}</td>
            <td class={`status-${c.status}`}>{c.status}</td>
            <td>{num(c.psi)}</td>
            <td>{c.test === 'chi2' ? 'χ²' : 'KS'}</td>
            <td>{num(c.statistic)}</td>
            <td>{num(c.pvalue_adjusted, 4)}</td>
            <td>{c.n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface HistoryWindow {
  end_ts: number;
  status: string;
  features: Record<string, { psi: number | null; pvalue_adjusted: number | null }>;
  output: { psi: number | null; pvalue_adjusted: number | null } | null;
}

/** the course of every column over the persisted windows of one variant, oldest first */
function History({ route, role, name, t, at }: { route: string; role: string; name: string; t: any; at: number }) {
  const hist = usePoll(() => get(`/admin/routes/${enc(route)}/drift/history?role=${role === 'shadow' ? 'shadow' : 'live'}&variant=${enc(name)}`), 0, [route, role, name, at]);
  const windows: HistoryWindow[] = hist.data?.windows ?? [];
  const x = windows.map((w) => w.end_ts / 1000);
  const cols = [...new Set(windows.flatMap((w) => [...Object.keys(w.features ?? {}), ...(w.output ? ['output'] : [])]))];
  const col = (w: HistoryWindow, c: string) => (c === 'output' ? w.output : w.features?.[c]);
  const lines = (pick: (r: { psi: number | null; pvalue_adjusted: number | null }) => number | null) => cols.map((c, i) => ({ label: c, values: windows.map((w) => { const r = col(w, c); return r ? pick(r) : null; }), color: color(i) }));
  if (hist.error) return <ErrorLine error={hist.error} />;
  if (!hist.data) return null;
  return (
    <div class="charts" data-testid={`drift-history-${name}`}>
      <Chart
        title={`PSI per window (${name})`}
        x={x}
        lines={[
          ...lines((r) => r.psi),
          { label: 'moderate', values: x.map(() => t.psi_moderate), color: '#e0a800', dash: true },
          { label: 'significant', values: x.map(() => t.psi_significant), color: '#c00', dash: true },
        ]}
      />
      <Chart title={`adjusted p-value per window (${name})`} x={x} lines={[...lines((r) => r.pvalue_adjusted), { label: 'α', values: x.map(() => t.alpha), color: '#c00', dash: true }]} />
    </div>
  );
}

function VariantDrift({ route, role, name, v, t }: { route: string; role: string; name: string; v: any; t: any }) {
  const cols: [string, any][] = [...Object.entries(v.features ?? {}), ...(v.output ? [['output', v.output] as [string, any]] : [])];
  const at = v.last_window?.end_ts ?? v.window?.end_ts ?? 0;
  const withHist = cols.filter(([, c]) => c.histogram);
  // the columns that moved are drawn at once; the others one click away
  const flagged = withHist.filter(([, c]) => c.status === 'moderate' || c.status === 'significant');
  const calm = withHist.filter(([, c]) => !(c.status === 'moderate' || c.status === 'significant'));
  return (
    <section class="card" aria-label={`drift of ${name}`}>
      <h2>
        {role === 'shadow' ? 'Shadow' : 'Variant'} {name}: <span class={`status-${v.status}`}>{v.status}</span>
      </h2>
      <p class="muted">
        {v.entries} entries in the window judged {when(v.judged_at)}; {v.totals.windows} windows, {v.totals.entries} entries in all; baseline {v.baseline ? `v${v.baseline.version} of ${v.baseline.variant} (${v.baseline.entries} entries, ${v.baseline.source})` : 'none'}.
      </p>
      {cols.length ? <Columns cols={cols} /> : <p class="muted">No verdict yet.</p>}
      {cols.length > 0 && <PsiBars title={`PSI now (${name})`} cols={cols} moderate={t.psi_moderate} significant={t.psi_significant} />}
      {flagged.length > 0 && (
        <div class="histograms" aria-label={`histograms of the flagged columns (${name})`}>
          {flagged.map(([c, r]) => (
            <HistogramPair column={c} who={name} h={r.histogram} />
          ))}
        </div>
      )}
      {calm.length > 0 && (
        <details>
          <summary>
            Baseline and current histograms of the {flagged.length ? 'other ' : ''}
            {calm.length} column{calm.length > 1 ? 's' : ''}
          </summary>
          <div class="histograms">
            {calm.map(([c, r]) => (
              <HistogramPair column={c} who={name} h={r.histogram} />
            ))}
          </div>
        </details>
      )}
      <History route={route} role={role} name={name} t={t} at={at} />
    </section>
  );
}

export function DriftView({ route }: { route: string }) {
  const report = usePoll(() => get(`/admin/routes/${enc(route)}/drift`), 3000, [route]);
  const r = report.data;
  return (
    <>
      <ErrorLine error={report.error} />
      {r && (
        <>
          <p>
            Route status <strong class={`status-${r.status}`} data-testid="drift-status">{r.status}</strong>; PSI moderate ≥ {r.thresholds?.psi_moderate}, significant ≥ {r.thresholds?.psi_significant}; tests at α = {r.thresholds?.alpha} (Bonferroni-adjusted). Updated {when(r.updated_at)}.
          </p>
          {Object.entries(r.variants as Record<string, any>).map(([name, v]) => (
            <VariantDrift route={route} role="variant" name={name} v={v} t={r.thresholds} />
          ))}
          {Object.entries((r.shadows ?? {}) as Record<string, any>).map(([name, v]) => (
            <VariantDrift route={route} role="shadow" name={name} v={v} t={r.thresholds} />
          ))}
        </>
      )}
    </>
  );
}
