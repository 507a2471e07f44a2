/**
 * Routes: status, proposals, missions and steps, orders and fills with the explain chain, positions and
 * P&L. Each area is a file under trading/; handlers are thin and call the same @atc/trading functions
 * as the CLI.
 * @module
 */
import type { ApiRoute } from '../api-route';
import { heartbeatRunRoutes } from './trading/heartbeat-runs.routes';
import { missionRoutes } from './trading/missions.routes';
import { orderRoutes } from './trading/orders.routes';
import { positionRoutes } from './trading/positions.routes';
import { priceRoutes } from './trading/prices.routes';
import { proposalRoutes } from './trading/proposals.routes';
import { statusRoute } from './trading/status.routes';

export const tradingRoutes: readonly ApiRoute[] = [
  statusRoute,
  ...heartbeatRunRoutes,
  ...proposalRoutes,
  ...missionRoutes,
  ...orderRoutes,
  ...positionRoutes,
  ...priceRoutes,
];
