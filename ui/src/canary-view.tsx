/** A route's canary: steps as a progress bar, the last window's checks against their limits, the buttons, the history. */
import { useState } from 'preact/hooks';
import { ApiError, call, enc, get } from './api.ts';
import { ErrorLine } from './error-line.tsx';
import { ms, num, pct, when } from './format.ts';
import { usePoll } from './hooks.ts';

const OPS = [
  ['pause', 'Pause'],
  ['resume', 'Resume'],
  ['promote', 'Promote'],
  ['abort', 'Abort'],
] as const;
const ACTIVE = new Set(['progressing', 'paused', 'holding']);

function Steps({ steps, step, state }: { steps: number[]; step: number; state: string }) {
  const done = state === 'promoted' ? steps.length : step;
  return (
    <div>
      <div class="steps" role="progressbar" aria-label="canary steps" aria-valuemin={0} aria-valuemax={steps.length} aria-valuenow={done} aria-valuetext={`step ${Math.min(step + 1, steps.length)} of ${steps.length}`}>
        {steps.map((w, i) => (
          <span class={i < done ? 'step done' : i === step && ACTIVE.has(state) ? 'step current' : 'step'}>{w} %</span>
        ))}
      </div>
    </div>
  );
}

export function CanaryView({ route }: { route: string }) {
  const plan = usePoll(() => get(`/admin/routes/${enc(route)}/canary`), 2000, [route]);
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>();
  const act = async (op: string) => {
    try {
      const a = await call('POST', `/admin/routes/${enc(route)}/canary/${op}`);
      setResult({ ok: true, text: `${op}: the plan is now ${a.body.state} at ${a.body.weight} %.` });
      plan.reload();
    } catch (e) {
      setResult({ ok: false, text: `${op} refused: ${(e as ApiError).message}` });
    }
  };
  if (plan.error?.status === 404) return <p>No canary plan on this route. Start one with <code>modelgate ctl canary start</code> or POST /admin/routes/{route}/canary.</p>;
  const d = plan.data;
  return (
    <>
      <ErrorLine error={plan.error} />
      {d && (
        <>
          <section class="card">
            <h2>
              Canary {d.canary} against {d.stable}
            </h2>
            <p>
              State <strong data-testid="canary-state">{d.state}</strong>, step {d.step + 1} of {d.steps.length}, canary at <strong>{d.weight} %</strong>
              {d.reason ? ` (${d.reason})` : ''}
            </p>
            <Steps steps={d.steps} step={d.step} state={d.state} />
            <p class="muted">
              A step needs {Math.round(d.plan.step_min_ms / 1000)} s and {d.plan.step_min_requests} canary requests; {d.step_requests} so far. Started {when(d.started_at)} by {d.started_by}.
            </p>
            <div class="buttons">
              {OPS.map(([op, label]) => (
                <button type="button" onClick={() => void act(op)}>
                  {label}
                </button>
              ))}
            </div>
            {result && (
              <p role={result.ok ? 'status' : 'alert'} class={result.ok ? 'ok' : 'error'}>
                {result.text}
              </p>
            )}
          </section>
          <section class="card">
            <h2>Checks in the last window</h2>
            {d.last_window ? (
              <>
                <p class="muted">
                  canary: {d.last_window.canary.requests} requests, {pct(d.last_window.canary.error_rate, 2)} errors, p99 {ms(d.last_window.canary.p99_ms)} · stable: {d.last_window.stable.requests} requests, {pct(d.last_window.stable.error_rate, 2)} errors, p99 {ms(d.last_window.stable.p99_ms)}
                </p>
                <table>
                  <thead>
                    <tr>
                      <th>check</th>
                      <th>status</th>
                      <th>value</th>
                      <th>limit</th>
                      <th>action</th>
                      <th>detail</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(d.last_window.checks as any[]).map((c) => (
                      <tr>
                        <td>{c.check}</td>
                        <td class={c.status === 'pass' ? 'ok' : c.status === 'breach' ? 'error' : 'muted'}>{c.status}</td>
                        <td>{num(c.value)}</td>
                        <td>{num(c.limit)}</td>
                        <td>{c.action}</td>
                        <td>{c.detail}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : (
              <p class="muted">No window judged yet in this step.</p>
            )}
          </section>
          <section class="card">
            <h2>History</h2>
            <table>
              <thead>
                <tr>
                  <th>when</th>
                  <th>change</th>
                  <th>step</th>
                  <th>weight</th>
                  <th>by</th>
                  <th>reason</th>
                </tr>
              </thead>
              <tbody>
                {[...(d.history as any[])].reverse().map((h) => (
                  <tr>
                    <td>{when(h.at)}</td>
                    <td>
                      {h.from ?? '–'} → {h.to}
                    </td>
                    <td>{h.step + 1}</td>
                    <td>{h.weight} %</td>
                    <td>{h.by}</td>
                    <td>{h.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </>
  );
}
