/**
 * The signed-in session for the whole app: the key (memory and sessionStorage), its role, the API
 * client that sends it, sign-in (which verifies the key with POST /api/stream-tickets, whose answer
 * names the key's role) and sign-out.
 * @module
 */
import { type ApiRole, StreamTicket } from '@atc/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { type ApiClient, createApiClient } from '../api/api.client';
import { clearSession, loadSession, saveSession, type Session } from './session.storage';

interface SessionValue {
  readonly session: Session | null;
  readonly api: ApiClient;
  /** Verifies the key and keeps it; rejects with the API's problem when the key is refused. */
  readonly signIn: (key: string) => Promise<ApiRole>;
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

  const signIn = useCallback(
    async (key: string) => {
      const verifier = createApiClient({ key: () => key, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
      const { role } = await verifier.post('/api/stream-tickets', undefined, StreamTicket);
      const next = { key, role };
      saveSession(next);
      setSession(next);
      return role;
    },
    [fetchImpl],
  );

  const value = useMemo(() => ({ session, api, signIn, signOut }), [session, api, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
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

export { canAct, SessionProvider, useSession };
