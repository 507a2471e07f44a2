/**
 * The signed-in session for the whole app: the bearer (an API key or a JWT, in memory and
 * sessionStorage), its role, the API client that sends it, sign-in (a pasted key or JWT is verified
 * with POST /api/stream-tickets, whose answer names the role; a provider's code is exchanged with
 * POST /api/auth/oidc/token, which answers the verified token and its role) and sign-out, also when a
 * JWT expires.
 * @module
 */
import { type ApiRole, OidcTokenResponse, StreamTicket } from '@atc/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type ApiClient, createApiClient } from '../api/api.client';
import { clearSession, jwtExpiry, loadSession, saveSession, type Session } from './session.storage';

/** What the provider's redirect carries back, with the verifier this tab kept (pkce.ts readCallback). */
interface ProviderCallback {
  readonly code: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
}

/** setTimeout's longest delay; a later expiry is left to the API's 401. */
const MAX_TIMER_MS = 2_147_483_647;

interface SessionValue {
  readonly session: Session | null;
  readonly api: ApiClient;
  /** Verifies the key and keeps it; rejects with the API's problem when the key is refused. */
  readonly signIn: (key: string) => Promise<ApiRole>;
  /** Exchanges the provider's code for its token (verified by the API) and keeps it. */
  readonly signInWithProvider: (callback: ProviderCallback) => Promise<ApiRole>;
  readonly signOut: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

interface SessionProviderProps {
  readonly children: ReactNode;
  /** The fetch the API client uses (tests pass a fake). */
  readonly fetch?: typeof fetch;
}

function SessionProvider({ children, fetch: fetchImpl }: SessionProviderProps) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const queryClient = useQueryClient();

  const signOut = useCallback(() => {
    clearSession();
    setSession(null);
    // What this key read must not show to the next one.
    queryClient.clear();
  }, [queryClient]);

  const key = session?.key ?? null;
  const api = useMemo(
    () =>
      createApiClient({
        key: () => key,
        onUnauthorized: signOut,
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      }),
    [key, fetchImpl, signOut],
  );

  const keep = useCallback((next: Session) => {
    saveSession(next);
    setSession(next);
    return next.role;
  }, []);

  const signIn = useCallback(
    async (key: string) => {
      const verifier = createApiClient({ key: () => key, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
      const { role } = await verifier.post('/api/stream-tickets', undefined, StreamTicket);
      return keep({ key, role, expiresAt: jwtExpiry(key) });
    },
    [fetchImpl, keep],
  );

  const signInWithProvider = useCallback(
    async (callback: ProviderCallback) => {
      const anonymous = createApiClient({ key: () => null, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
      const answer = await anonymous.post('/api/auth/oidc/token', callback, OidcTokenResponse);
      return keep({ key: answer.token, role: answer.role, expiresAt: answer.expiresAt ?? undefined });
    },
    [fetchImpl, keep],
  );

  useSignOutAtExpiry(session?.expiresAt, signOut);

  const value = useMemo(
    () => ({ session, api, signIn, signInWithProvider, signOut }),
    [session, api, signIn, signInWithProvider, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** Back to the sign-in page when the JWT's time is up (the API would refuse it from then on). */
function useSignOutAtExpiry(expiresAt: string | undefined, signOut: () => void): void {
  useEffect(() => {
    if (expiresAt === undefined) return undefined;
    const delay = Date.parse(expiresAt) - Date.now();
    if (delay > MAX_TIMER_MS) return undefined;
    const timer = setTimeout(signOut, Math.max(0, delay));
    return () => clearTimeout(timer);
  }, [expiresAt, signOut]);
}

function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** Operators and admins may approve, reject, resolve and engage; viewers only read. */
function canAct(role: ApiRole | undefined): boolean {
  return role === 'operator' || role === 'admin';
}

export { canAct, type ProviderCallback, SessionProvider, useSession };
