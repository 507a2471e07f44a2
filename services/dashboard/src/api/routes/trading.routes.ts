/**
 * Routes: status, proposals, missions and steps, orders and fills with the explain chain, positions and P&L (engineer H2).
 * @module
 */
import type { ApiRoute } from '../api-route';

export const tradingRoutes: readonly ApiRoute[] = [];
