/**
 * Routes: the live stream (engineer H4).
 * @module
 */
import type { ApiRoute } from '../api-route';

export const streamRoutes: readonly ApiRoute[] = [];
