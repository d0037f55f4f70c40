/** The audit trail with each change's diff, and restoring an earlier version (as a new version) after a confirmation. */
import { useState } from 'preact/hooks';
import { ApiError, call } from './api.ts';
import { ErrorLine } from './error-line.tsx';
import { when } from './format.ts';
import { usePoll } from './hooks.ts';

export function AuditView() {
  const audit = usePoll(() => call('GET', '/admin/audit?limit=100'), 5000);
  const [confirm, setConfirm] = useState<number | undefined>();
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>();
  const restore = async (version: number) => {
    try {
      const a = await call('POST', `/admin/history/${version}/restore`, { ifMatch: audit.data?.etag });
      setResult({ ok: true, text: `Restored version ${version} as version ${a.body.version}.` });
      audit.reload();
    } catch (e) {
      const err = e as ApiError;
      setResult({ ok: false, text: err.status === 412 ? 'Not restored: the config changed while you were reading; the list is reloaded, check it and try again (412).' : `Not restored: ${err.message}` });
      audit.reload();
    } finally {
      setConfirm(undefined);
    }
  };
  const entries: any[] = audit.data?.body.entries ?? [];
  return (
    <>
      <h1>Audit</h1>
      <ErrorLine error={audit.error} />
      {result && (
        <p role={result.ok ? 'status' : 'alert'} class={result.ok ? 'ok' : 'error'}>
          {result.text}
        </p>
      )}
      {audit.data && <p>Current config version <strong>{audit.data.body.version}</strong>.</p>}
      <table class="audit">
        <thead>
          <tr>
            <th>version</th>
            <th>when</th>
            <th>who</th>
            <th>what</th>
            <th>diff</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr data-version={e.version}>
              <td>{e.version}</td>
              <td>{when(e.ts)}</td>
              <td>{e.actor}</td>
              <td>
                {e.action}
                {e.route ? ` ${e.route}` : ''}
              </td>
              <td>{e.diff === undefined ? '' : <pre>{JSON.stringify(e.diff, null, 1)}</pre>}</td>
              <td>
                {e.version !== audit.data?.body.version &&
                  (confirm === e.version ? (
                    <span role="group" aria-label={`confirm restoring version ${e.version}`}>
                      Restore version {e.version} as a new version?{' '}
                      <button type="button" onClick={() => void restore(e.version)}>
                        Confirm restore
                      </button>{' '}
                      <button type="button" class="link" onClick={() => setConfirm(undefined)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button type="button" aria-label={`Restore version ${e.version}`} onClick={() => setConfirm(e.version)}>
                      Restore
                    </button>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
