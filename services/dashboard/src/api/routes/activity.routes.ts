/**
 * Routes: agents, relationships, memories, conversations, events, audit (one file per area under
 * activity/).
 * @module
 */
import type { ApiRoute } from '../api-route';
import { agentRoutes } from './activity/agents.routes';
import { auditRoutes } from './activity/audit.routes';
import { eventRoutes } from './activity/events.routes';

export const activityRoutes: readonly ApiRoute[] = [...agentRoutes, ...eventRoutes, ...auditRoutes];
