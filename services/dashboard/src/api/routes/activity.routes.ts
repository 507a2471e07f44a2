/**
 * Routes: agents, relationships, memories, conversations, events, audit (engineer H3).
 * @module
 */
import type { ApiRoute } from '../api-route';

export const activityRoutes: readonly ApiRoute[] = [];
