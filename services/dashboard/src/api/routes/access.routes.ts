/**
 * Routes: API keys, stream tickets, the heartbeat trigger (engineer H1).
 * @module
 */
import type { ApiRoute } from '../api-route';

export const accessRoutes: readonly ApiRoute[] = [];
