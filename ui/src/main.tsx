/**
 * The operator console: sign in with an admin token, then routes, a route's weights, canary,
 * shadows, drift and experiment, and the audit trail. Hash routing (#/routes/fraud/canary),
 * so the server serves one page and the token never appears in a URL.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { token, whenSignedOut } from './api.ts';
import { AuditView } from './audit-view.tsx';
import { CanaryView } from './canary-view.tsx';
import { DriftView } from './drift-view.tsx';
import { ExperimentView } from './experiment-view.tsx';
import { RouteView } from './route-view.tsx';
import { RoutesView } from './routes-view.tsx';
import { ShadowsView } from './shadows-view.tsx';
import { SignIn } from './sign-in.tsx';
import './style.css';

const useHash = () => {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
};

const TABS: [string, string][] = [
  ['', 'Weights'],
  ['canary', 'Canary'],
  ['shadows', 'Shadows'],
  ['drift', 'Drift'],
  ['experiment', 'Experiment'],
];

function RouteTabs({ route, tab }: { route: string; tab: string }) {
  return (
    <nav class="tabs" aria-label={`${route} views`}>
      {TABS.map(([t, label]) => (
        <a href={`#/routes/${encodeURIComponent(route)}${t ? `/${t}` : ''}`} aria-current={t === tab ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

function Page({ hash }: { hash: string }) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'audit') return <AuditView />;
  if (parts[0] === 'routes' && parts[1]) {
    const route = parts[1];
    const tab = parts[2] ?? '';
    const view =
      tab === 'canary' ? <CanaryView route={route} /> : tab === 'shadows' ? <ShadowsView route={route} /> : tab === 'drift' ? <DriftView route={route} /> : tab === 'experiment' ? <ExperimentView route={route} /> : <RouteView route={route} />;
    return (
      <>
        <h1>
          <a href="#/routes">Routes</a> / {route}
        </h1>
        <RouteTabs route={route} tab={tab} />
        {view}
      </>
    );
  }
  return <RoutesView />;
}

function App() {
  const hash = useHash();
  const [signedIn, setSignedIn] = useState(!!token.get());
  const [notice, setNotice] = useState<string | undefined>();
  useEffect(
    () =>
      whenSignedOut(() => {
        token.clear();
        setNotice('The admin API refused the token (401): sign in again.');
        setSignedIn(false);
      }),
    [],
  );
  if (!signedIn) return <SignIn notice={notice} onSignedIn={() => (setNotice(undefined), setSignedIn(true))} />;
  return (
    <>
      <header>
        <strong>modelgate console</strong>
        <nav aria-label="main">
          <a href="#/routes">Routes</a>
          <a href="#/audit">Audit</a>
        </nav>
        <button type="button" class="link" onClick={() => (token.clear(), setSignedIn(false))}>
          Sign out
        </button>
      </header>
      <main>
        <Page hash={hash} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
