import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../api/api.client';
import { useSession } from './session.context';

/** Paste an API key (`atc apikey create`); a refused key shows the API's problem detail. */
function SignIn() {
  const { signIn } = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
    } catch (err) {
      setError(err instanceof ApiError ? (err.detail ?? err.title) : String(err));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>atc — Autonomous Trading Company</h1>
      <form onSubmit={(event) => void submit(event)} aria-describedby={`${inputId}-help`}>
        <label htmlFor={inputId}>API key</label>
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(event) => setKey(event.target.value)}
          required
        />
        <p id={`${inputId}-help`} className="muted">
          Made by <code>atc apikey create --name you --role operator</code>. Kept for this tab only.
        </p>
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

export { SignIn };
