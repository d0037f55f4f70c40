/** Shadows of a route against live, per window: agreement, output difference, latency. */
import { enc, get } from './api.ts';
import { Chart, color } from './chart.tsx';
import { ErrorLine } from './error-line.tsx';
import { ms, num, pct } from './format.ts';
import { usePoll } from './hooks.ts';

export function ShadowsView({ route }: { route: string }) {
  const report = usePoll(() => get(`/admin/routes/${enc(route)}/shadows/report`), 3000, [route]);
  const r = report.data;
  return (
    <>
      <ErrorLine error={report.error} />
      {r && Object.keys(r.shadows).length === 0 && <p>This route has no shadows.</p>}
      {r &&
        Object.entries(r.shadows as Record<string, any>).map(([name, s]) => {
          const w = s.windows as any[];
          const x = w.map((x) => x.end_ts / 1000);
          return (
            <section class="card" aria-label={`shadow ${name}`}>
              <h2>Shadow {name}</h2>
              <p>
                Agreement {pct(s.totals.agreement_rate)} over {s.totals.compared} compared ({s.totals.windows} windows); errors {pct(s.totals.error_share, 2)}; dropped {s.totals.dropped}.
                {s.latest && ` Latest window: diff p90 ${num(s.latest.diff.p90)}, latency p99 ${ms(s.latest.latency_ms.p99)} vs live ${ms(s.latest.live_latency_ms.p99)}.`}
              </p>
              <div class="charts">
                <Chart title="agreement with live" x={x} lines={[{ label: 'agreement', values: w.map((x) => x.agreement_rate), color: color(0) }]} />
                <Chart
                  title="output difference"
                  x={x}
                  lines={[
                    { label: 'mean', values: w.map((x) => x.diff.mean), color: color(0) },
                    { label: 'p90', values: w.map((x) => x.diff.p90), color: color(1) },
                  ]}
                />
                <Chart
                  title="latency p99 (ms)"
                  x={x}
                  lines={[
                    { label: name, values: w.map((x) => x.latency_ms.p99), color: color(1) },
                    { label: 'live', values: w.map((x) => x.live_latency_ms.p99), color: color(0) },
                  ]}
                />
              </div>
            </section>
          );
        })}
    </>
  );
}
