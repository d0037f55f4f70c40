/**
 * Drift of a route: per variant (and shadow) each feature's and the output's PSI and test
 * statistic with its status, the PSI as bars against the report's thresholds, and the PSI
 * course per window since this page was opened (from its second window on), thresholds drawn in.
 */
import { enc, get } from './api.ts';
import { Chart, color } from './chart.tsx';
import { ErrorLine } from './error-line.tsx';
import { num, when } from './format.ts';
import { PsiBars } from './psi-bars.tsx';
import { usePoll } from './hooks.ts';
import { remember } from './series-memory.ts';

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

function VariantDrift({ route, role, name, v, t }: { route: string; role: string; name: string; v: any; t: any }) {
  const cols: [string, any][] = [...Object.entries(v.features ?? {}), ...(v.output ? [['output', v.output] as [string, any]] : [])];
  const at = v.window?.end_ts ?? 0;
  const courses = cols.map(([f, c]) => ({ f, ...remember(`${route}/${role}/${name}/${f}`, at / 1000, c.psi) }));
  const x = courses[0]?.x ?? [];
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
      {x.length > 1 && (
        <Chart
          title={`PSI per window (${name})`}
          x={x}
          lines={[
            ...courses.map((c, i) => ({ label: c.f, values: c.y, color: color(i) })),
            { label: 'moderate', values: x.map(() => t.psi_moderate), color: '#e0a800', dash: true },
            { label: 'significant', values: x.map(() => t.psi_significant), color: '#c00', dash: true },
          ]}
        />
      )}
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
