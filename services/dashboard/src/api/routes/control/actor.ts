/**
 * The audit log's actor of a write: the authenticated principal's name (an API key's name, a JWT
 * subject). A write route is never public, so a missing principal is a wiring bug, not a client error.
 * @module
 */
import type { ApiContext } from '../../api-route';

export function actorOf(context: Pick<ApiContext, 'principal'>): string {
  if (!context.principal) throw new Error('a write route ran without an authenticated principal');
  return context.principal.name;
}
