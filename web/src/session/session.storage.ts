/**
 * Where the signed-in credential (an API key or a JWT) lives: in memory and in sessionStorage (this
 * tab only, gone when it closes), never in localStorage, which every tab and every later visit would
 * share. A JWT's session carries its end: once past, it is not loaded again.
 * @module
 */
import { ApiRole } from '@atc/contracts';

interface Session {
  /** The bearer: an API key or a JWT. */
  readonly key: string;
  readonly role: ApiRole;
  /** When the JWT expires (ISO-8601); absent for an API key (the API says when it no longer holds). */
  readonly expiresAt?: string | undefined;
}

const SESSION_KEY = 'atc.session';

function loadSession(storage: Storage = sessionStorage, now: number = Date.now()): Session | null {
  const text = storage.getItem(SESSION_KEY);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { key?: unknown; role?: unknown; expiresAt?: unknown };
    const role = ApiRole.safeParse(value.role);
    const expiresAt = typeof value.expiresAt === 'string' ? value.expiresAt : undefined;
    const live = expiresAt === undefined || Date.parse(expiresAt) > now;
    if (typeof value.key === 'string' && role.success && live) {
      return { key: value.key, role: role.data, ...(expiresAt ? { expiresAt } : {}) };
    }
  } catch {
    // A damaged entry is as good as none: sign in again.
  }
  storage.removeItem(SESSION_KEY);
  return null;
}

function saveSession(session: Session, storage: Storage = sessionStorage): void {
  storage.setItem(SESSION_KEY, JSON.stringify(session));
}

function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(SESSION_KEY);
}

/**
 * A JWT's `exp` as ISO-8601, read without verifying (the API verifies; this only times the sign-out);
 * undefined for anything that is not a JWT with a numeric `exp` (an API key).
 */
function jwtExpiry(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/'));
    const { exp } = JSON.parse(json) as { exp?: unknown };
    return typeof exp === 'number' ? new Date(exp * 1000).toISOString() : undefined;
  } catch {
    return undefined;
  }
}

export { clearSession, jwtExpiry, loadSession, saveSession, type Session, SESSION_KEY };
