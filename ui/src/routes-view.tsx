/** Every route with its variants, weights, versions, shadows and live traffic; replicas and their applied version. */
import { get } from './api.ts';
import { ErrorLine } from './error-line.tsx';
import { ago } from './format.ts';
import { usePoll } from './hooks.ts';
import { VariantTable } from './variant-table.tsx';

export function RoutesView() {
  const routes = usePoll(() => get('/admin/routes'), 3000);
  const stats = usePoll(() => get('/admin/stats'), 3000);
  const replicas = usePoll(() => get('/admin/replicas'), 5000);
  const version: number | undefined = routes.data?.version;
  return (
    <>
      <h1>Routes</h1>
      <ErrorLine error={routes.error ?? stats.error} />
      {version !== undefined && <p>Config version <strong data-testid="config-version">{version}</strong></p>}
      {routes.data &&
        Object.values(routes.data.routes as Record<string, any>).map((r) => (
          <section class="card" aria-label={`route ${r.name}`}>
            <h2>
              <a href={`#/routes/${encodeURIComponent(r.name)}`}>{r.name}</a>
            </h2>
            <p class="muted">models: {(r.config.models ?? []).join(', ') || '–'}</p>
            <VariantTable variants={r.config.variants} stats={stats.data?.routes?.[r.name]?.variants} />
            {r.config.shadows?.length > 0 && (
              <p>
                Shadows:{' '}
                {r.config.shadows.map((s: any) => (
                  <span class="pill">
                    {s.name} {s.version} ({s.percent ?? 100} %)
                  </span>
                ))}
              </p>
            )}
          </section>
        ))}
      {stats.data && <p class="muted">Live rates over the last {Math.round(stats.data.span_ms / 1000)} s of replica {stats.data.replica} (errors: UPSTREAM_* failures and backend 5xx, as docs/monitor.md defines them; p99 from the latency histogram).</p>}
      <h2>Replicas</h2>
      <ErrorLine error={replicas.error} />
      {replicas.data && (
        <table>
          <thead>
            <tr>
              <th>replica</th>
              <th>applied version</th>
              <th>converged</th>
              <th>heartbeat</th>
            </tr>
          </thead>
          <tbody>
            {(replicas.data.replicas as any[]).map((r) => (
              <tr>
                <td>{r.id}</td>
                <td>{r.version}</td>
                <td class={r.current ? 'ok' : 'warn'}>{r.current ? 'yes' : `no (config is at ${replicas.data.version})`}</td>
                <td>{ago(r.age_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

