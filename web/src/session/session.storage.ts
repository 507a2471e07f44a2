/**
 * Where the signed-in API key lives: in memory and in sessionStorage (this tab only, gone when it
 * closes), never in localStorage, which every tab and every later visit would share.
 * @module
 */
import { ApiRole } from '@atc/contracts';

interface Session {
  readonly key: string;
  readonly role: ApiRole;
}

const SESSION_KEY = 'atc.session';

function loadSession(storage: Storage = sessionStorage): Session | null {
  const text = storage.getItem(SESSION_KEY);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { key?: unknown; role?: unknown };
    const role = ApiRole.safeParse(value.role);
    if (typeof value.key === 'string' && role.success) return { key: value.key, role: role.data };
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

export { clearSession, loadSession, saveSession, type Session, SESSION_KEY };
