/**
 * Routes: policies, kill switch and loss latch, reconciliation queue (engineer H3).
 * @module
 */
import type { ApiRoute } from '../api-route';

export const controlRoutes: readonly ApiRoute[] = [];
