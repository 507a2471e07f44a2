import { AuthMethods, type OidcSignIn } from '@atc/contracts';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ApiError, createApiClient } from '../api/api.client';
import { browserLocation } from './browser-location';
import { beginSignIn } from './pkce';
import { useSession } from './session.context';

interface SignInProps {
  /** The fetch of the anonymous GET /api/auth/methods (tests pass a fake). */
  readonly fetch?: typeof fetch;
}

/** What the sign-in may offer (GET /api/auth/methods, no credentials); unknown until it answers. */
function useAuthMethods(fetchImpl: typeof fetch | undefined) {
  return useQuery({
    queryKey: ['auth-methods'],
    queryFn: ({ signal }) =>
      createApiClient({ key: () => null, ...(fetchImpl ? { fetch: fetchImpl } : {}) }).get(
        '/api/auth/methods',
        AuthMethods,
        signal,
      ),
    retry: false,
    staleTime: Infinity,
  });
}

/** The provider's name for the button: its host (`sso.example.com`). */
function providerName(oidc: OidcSignIn): string {
  try {
    return new URL(oidc.issuer).host;
  } catch {
    return oidc.issuer;
  }
}

function ProviderSignIn({ oidc }: { readonly oidc: OidcSignIn }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function start() {
    setBusy(true);
    setError(null);
    try {
      browserLocation.assign(await beginSignIn(oidc, browserLocation.origin()));
    } catch (err) {
      // Web Crypto (the PKCE challenge) exists only in a secure context: HTTPS, or localhost.
      setError(
        globalThis.isSecureContext === false
          ? 'Signing in with the identity provider needs HTTPS (or localhost).'
          : String(err),
      );
      setBusy(false);
    }
  }
  return (
    <div className="provider-sign-in">
      <button type="button" disabled={busy} onClick={() => void start()}>
        Sign in with {providerName(oidc)}
      </button>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p className="muted">or paste a credential:</p>
    </div>
  );
}

/**
 * Sign in with the configured identity provider (when there is one), or paste an API key
 * (`atc apikey create`) or a JWT; a refused credential shows the API's problem detail.
 */
function SignIn({ fetch: fetchImpl }: SignInProps) {
  const { signIn } = useSession();
  const methods = useAuthMethods(fetchImpl);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const jwt = methods.data?.jwt ?? false;

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
      {methods.data?.oidc && <ProviderSignIn oidc={methods.data.oidc} />}
      <form onSubmit={(event) => void submit(event)} aria-describedby={`${inputId}-help`}>
        <label htmlFor={inputId}>{jwt ? 'API key or JWT' : 'API key'}</label>
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
          Made by <code>atc apikey create --name you --role operator</code>
          {jwt ? ', or a token of the configured issuer' : ''}. Kept for this tab only.
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
