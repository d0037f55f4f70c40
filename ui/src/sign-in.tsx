/** Sign-in: the token is checked with one admin call, then kept in sessionStorage only. */
import { useState } from 'preact/hooks';
import { ApiError, call, token } from './api.ts';

export function SignIn({ notice, onSignedIn }: { notice?: string; onSignedIn: () => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await call('GET', '/admin/routes', { tokenOverride: value.trim() });
      token.set(value.trim());
      onSignedIn();
    } catch (err) {
      const a = err as ApiError;
      setError(a.status === 401 ? 'That admin token was refused (401 Unauthorized). Check the token and try again.' : a.status === 429 ? `Too many failed sign-ins from this address: ${a.message}` : `Could not sign in: ${a.message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>modelgate console</h1>
      <form onSubmit={submit}>
        <label for="admin-token">Admin token</label>
        <input id="admin-token" type="password" autocomplete="off" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} required />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <p class="muted">The token stays in this tab's sessionStorage and is sent as a bearer token on each admin call; no cookies are used.</p>
    </main>
  );
}
