import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/api.client';
import { readCallback } from './pkce';
import { useSession } from './session.context';

/**
 * `/auth/callback`, where the identity provider sends the browser back: the state checked against the
 * one this tab sent, the code exchanged for the token (through the API, which verifies it), then the
 * overview. A refusal shows why, with the way back to the sign-in page.
 */
function OidcCallback() {
  const { signInWithProvider } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  // The pending sign-in is one use: a second run of the effect (StrictMode) must not spend it again.
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const finish = async () => {
      try {
        await signInWithProvider(readCallback(location.search));
        void navigate('/', { replace: true });
      } catch (err) {
        setError(
          err instanceof ApiError
            ? (err.detail ?? err.title)
            : err instanceof Error
              ? err.message
              : String(err),
        );
      }
    };
    void finish();
  }, [location.search, navigate, signInWithProvider]);

  return (
    <main className="sign-in">
      <h1>atc — Autonomous Trading Company</h1>
      {error === null ? (
        <p role="status">Signing in…</p>
      ) : (
        <>
          <p role="alert" className="error">
            {error}
          </p>
          <button type="button" onClick={() => void navigate('/', { replace: true })}>
            Back to sign-in
          </button>
        </>
      )}
    </main>
  );
}

export { OidcCallback };
