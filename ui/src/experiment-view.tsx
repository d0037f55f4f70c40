/**
 * A route's A/B experiment: each arm's estimate and interval, p-values, SRM, guardrails, the
 * planned vs reached sample per arm, and from the monitor's persisted looks
 * (GET …/experiment/history) the always-valid p-value and each arm's units over time, with
 * the decision threshold (α per comparison) and the planned sample drawn in.
 */
import { enc, get } from './api.ts';
import { Chart, color } from './chart.tsx';
import { ErrorLine } from './error-line.tsx';
import { num, pct, when } from './format.ts';
import { usePoll } from './hooks.ts';

interface LookPoint {
  at: number;
  units: Record<string, number>;
  p_always_valid: Record<string, number | null>;
  units_per_arm: number | null;
}

function Courses({ route, id, arms, alphaEach, at }: { route: string; id: string; arms: string[]; alphaEach: number; at: number }) {
  const hist = usePoll(() => get(`/admin/routes/${enc(route)}/experiment/history`), 0, [route, id, at]);
  if (hist.error) return <ErrorLine error={hist.error} />;
  const looks: LookPoint[] = hist.data?.id === id ? (hist.data.looks ?? []) : [];
  const x = looks.map((l) => l.at / 1000);
  const treatments = arms.slice(1);
  return (
    <div class="charts">
      <Chart
        title="always-valid p-value per look"
        x={x}
        empty="no looks yet"
        lines={[...treatments.map((a, i) => ({ label: `${a} vs ${arms[0]}`, values: looks.map((l) => l.p_always_valid?.[a] ?? null), color: color(i + 1) })), { label: 'α per comparison', values: x.map(() => alphaEach), color: '#c00', dash: true }]}
      />
      <Chart
        title="units per arm: reached vs planned"
        x={x}
        empty="no looks yet"
        lines={[...arms.map((a, i) => ({ label: a, values: looks.map((l) => l.units?.[a] ?? null), color: color(i) })), { label: 'planned', values: looks.map((l) => l.units_per_arm), color: '#555', dash: true }]}
      />
    </div>
  );
}

function SampleBars({ arms, units, planned }: { arms: string[]; units: Record<string, number>; planned: number | null }) {
  return (
    <table>
      <tbody>
        {arms.map((a) => (
          <tr>
            <td>{a}</td>
            <td>
              {planned ? <progress max={planned} value={Math.min(planned, units[a] ?? 0)} aria-label={`sample of ${a}`} /> : <span class="muted">planned sample not known yet</span>}
            </td>
            <td>
              {units[a] ?? 0} of {planned ?? '–'} units{planned ? ` (${pct(Math.min(1, (units[a] ?? 0) / planned))})` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const ci = (c: [number, number] | null) => (c ? `[${num(c[0], 4)}, ${num(c[1], 4)}]` : '–');

export function ExperimentView({ route }: { route: string }) {
  const exp = usePoll(() => get(`/admin/routes/${enc(route)}/experiment`), 3000, [route]);
  if (exp.error?.status === 404) return <p>No experiment on this route. Start one with POST /admin/routes/{route}/experiment.</p>;
  const e = exp.data;
  const res = e?.results;
  const comps: any[] = res?.primary?.comparisons ?? [];
  return (
    <>
      <ErrorLine error={exp.error} />
      {e && (
        <>
          <section class="card">
            <h2>
              Experiment {e.id}: <span data-testid="experiment-status">{e.status}</span>
            </h2>
            <p>
              Arms {e.plan.arms.join(', ')}; primary metric <strong>{e.plan.metric}</strong> ({e.plan.kind}, {e.plan.goal}), MDE {e.plan.mde}, α {e.plan.alpha}, power {e.plan.power}. Started {when(e.started_at)} by {e.started_by}.
              {e.verdict && ` Verdict: ${e.verdict.decision}${e.verdict.winner ? ` (${e.verdict.winner})` : ''}.`}
            </p>
            <p>
              Sample: planned {e.planning.units_per_arm ?? '–'} units per arm, reached {pct(e.planning.progress)}
              {e.planning.expected_end_at ? `, expected by ${when(e.planning.expected_end_at)}` : ''}.{e.planning.note ? ` ${e.planning.note}` : ''}
            </p>
            {e.min_runtime && e.status === 'running' && (
              <p data-testid="experiment-min-runtime">
                Minimum runtime {e.min_runtime.min_days} day(s): {e.min_runtime.reached ? `reached ${when(e.min_runtime.not_before)}` : `winner can be declared after ${when(e.min_runtime.not_before)}`}
                {e.min_runtime.pending ? `; pending: ${e.min_runtime.pending.winner ? `${e.min_runtime.pending.winner} wins` : 'inconclusive'} (always-valid p ${num(e.min_runtime.pending.always_valid_p, 4)}), held until then` : ''}.
              </p>
            )}
            <SampleBars arms={e.plan.arms} units={res?.srm?.units ?? {}} planned={e.planning.units_per_arm ?? null} />
          </section>
          {!res && <p class="muted">The monitor has not looked at this experiment yet.</p>}
          {res && (
            <>
              <section class="card">
                <h2>Arms</h2>
                <table>
                  <thead>
                    <tr>
                      <th>arm</th>
                      <th>units</th>
                      <th>estimate</th>
                      <th>interval</th>
                      <th>difference</th>
                      <th>p (fixed)</th>
                      <th>p (always valid)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(res.primary.arms as any[]).map((a) => {
                      const c = comps.find((x) => x.arm === a.arm);
                      return (
                        <tr>
                          <td>{a.arm}</td>
                          <td>{a.units}</td>
                          <td>{num(a.estimate, 4)}</td>
                          <td>{ci(a.ci)}</td>
                          <td>{c ? `${num(c.difference, 4)} ${ci(c.difference_ci)}` : 'control'}</td>
                          <td>{c ? num(c.p_fixed, 4) : ''}</td>
                          <td>{c ? num(c.p_always_valid, 4) : ''}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <Courses route={route} id={e.id} arms={e.plan.arms} alphaEach={e.planning.alpha_per_comparison ?? e.plan.alpha} at={res.updated_at ?? 0} />
              </section>
              <section class="card">
                <h2>Sample ratio and guardrails</h2>
                <p class={res.srm.alarm ? 'error' : 'ok'}>
                  SRM: {res.srm.alarm ? 'ALARM' : 'ok'} (p = {num(res.srm.pvalue, 4)}; units {Object.entries(res.srm.units).map(([k, v]) => `${k} ${v}`).join(', ')})
                </p>
                {res.guardrails.length ? (
                  <ul>
                    {(res.guardrails as any[]).map((g) => (
                      <li class={g.status === 'breached' ? 'error' : undefined}>
                        {g.metric} on {g.arm}: {g.status} (value {num(g.value, 4)}, control {num(g.control, 4)}, limit {g.limit})
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p class="muted">No guardrails in the plan.</p>
                )}
              </section>
            </>
          )}
        </>
      )}
    </>
  );
}
