/**
 * One route: variants with live traffic, and the weights editor: dry-run first (the share of
 * units that would move, per pair), then Apply with the ETag this page read, so a stale page
 * gets the 412 explained instead of overwriting someone else's change.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, enc, get } from './api.ts';
import { ErrorLine } from './error-line.tsx';
import { pct } from './format.ts';
import { usePoll } from './hooks.ts';
import { VariantTable } from './variant-table.tsx';

interface RouteAnswer {
  name: string;
  version: number;
  weights: Record<string, number>;
  config: any;
}

function Pairs({ pairs }: { pairs: Record<string, Record<string, number>> }) {
  const rows = Object.entries(pairs).flatMap(([from, row]) => Object.entries(row).filter(([, x]) => x > 0).map(([to, x]) => [from, to, x] as const));
  if (!rows.length) return null;
  return (
    <ul>
      {rows.map(([from, to, x]) => (
        <li>
          {from} → {to}: {pct(x)}
        </li>
      ))}
    </ul>
  );
}

export function RouteView({ route }: { route: string }) {
  const [read, setRead] = useState<{ route: RouteAnswer; etag: string | null } | undefined>();
  const [loadError, setLoadError] = useState<ApiError | undefined>();
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [dry, setDry] = useState<any>();
  const [result, setResult] = useState<{ kind: 'ok' | 'stale' | 'error'; text: string } | undefined>();
  const stats = usePoll(() => get(`/admin/routes/${enc(route)}/stats`), 3000, [route]);

  const load = async () => {
    try {
      const a = await call<RouteAnswer>('GET', `/admin/routes/${enc(route)}`);
      setRead({ route: a.body, etag: a.etag });
      setDraft(Object.fromEntries(Object.entries(a.body.weights).map(([k, v]) => [k, String(v)])));
      setLoadError(undefined);
    } catch (e) {
      setLoadError(e as ApiError);
    }
  };
  useEffect(() => {
    setDry(undefined);
    setResult(undefined);
    void load();
  }, [route]);

  const weights = () => Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, Number(v)]));
  const dryRun = async () => {
    setResult(undefined);
    try {
      setDry((await call('POST', `/admin/routes/${enc(route)}/dry-run`, { body: { weights: weights() } })).body);
    } catch (e) {
      setDry(undefined);
      setResult({ kind: 'error', text: (e as ApiError).message });
    }
  };
  const apply = async () => {
    try {
      const a = await call('PATCH', `/admin/routes/${enc(route)}/weights`, { body: { weights: weights() }, ifMatch: read?.etag });
      setResult(
        a.body.changed === false
          ? { kind: 'ok', text: `Nothing changed: the route already has these weights (still config version ${a.body.version}; no new version).` }
          : { kind: 'ok', text: `Applied as config version ${a.body.version}; ${pct(a.body.moved ?? 0)} of units moved.` },
      );
      setDry(undefined);
      await load();
    } catch (e) {
      const err = e as ApiError;
      if (err.status === 412)
        setResult({ kind: 'stale', text: `Not applied: the config changed after this page read it (version ${read?.route.version}). Someone else changed it meanwhile; reload to see the current weights, then make your change again. (412 Precondition Failed)` });
      else setResult({ kind: 'error', text: `${err.message} (${err.code})` });
    }
  };

  if (loadError) return <ErrorLine error={loadError} />;
  if (!read) return <p class="muted">loading…</p>;
  const r = read.route;
  const sum = Object.values(weights()).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return (
    <>
      <section class="card">
        <h2>Variants</h2>
        <VariantTable variants={r.config.variants} stats={stats.data?.variants} />
        {r.config.shadows?.length > 0 && <p>Shadows: {r.config.shadows.map((s: any) => `${s.name} ${s.version} (${s.percent ?? 100} %)`).join(', ')}</p>}
        <p class="muted">Read at config version {r.version}.</p>
      </section>
      <section class="card">
        <h2>Weights</h2>
        <form class="weights" onSubmit={(e) => (e.preventDefault(), void dryRun())}>
          {Object.keys(draft).map((name) => (
            <div class="field">
              <label for={`weight-${name}`}>{name}</label>
              <input id={`weight-${name}`} type="number" min="0" max="100" step="any" value={draft[name]} onInput={(e) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value })} />
              <span>%</span>
            </div>
          ))}
          <p class={sum === 100 ? 'muted' : 'warn'}>Sum: {sum} % {sum === 100 ? '' : '(must be 100)'}</p>
          <button type="button" onClick={() => void dryRun()}>
            Dry run
          </button>{' '}
          <button type="button" onClick={() => void apply()}>
            Apply
          </button>{' '}
          <button type="button" class="link" onClick={() => (setResult(undefined), setDry(undefined), void load())}>
            Reload
          </button>
        </form>
        {dry && (
          <div class="dry-run" role="status" aria-label="dry run">
            <p>
              <strong>{pct(dry.moved)}</strong> of units would move.
            </p>
            <Pairs pairs={dry.pairs} />
          </div>
        )}
        {result && (
          <p role={result.kind === 'ok' ? 'status' : 'alert'} class={result.kind === 'ok' ? 'ok' : 'error'}>
            {result.text}
          </p>
        )}
      </section>
    </>
  );
}
