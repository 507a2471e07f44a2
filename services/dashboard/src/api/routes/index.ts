/**
 * Every route of the operator API, by area. Each area's file exports one array; a route exists only
 * if it is in this list (the authorization-matrix test and the OpenAPI document read it).
 * @module
 */
import type { ApiRoute } from '../api-route';
import { apiHealthRoute } from '../http/api-health.route';
import { accessRoutes } from './access.routes';
import { activityRoutes } from './activity.routes';
import { controlRoutes } from './control.routes';
import { docsRoutes } from './docs.routes';
import { signInRoutes } from './sign-in.routes';
import { streamRoutes } from './stream.routes';
import { tradingRoutes } from './trading.routes';

export const apiRoutes: readonly ApiRoute[] = [
  ...accessRoutes,
  ...signInRoutes,
  ...tradingRoutes,
  ...activityRoutes,
  ...controlRoutes,
  ...streamRoutes,
  // The document lists what the server answers: these routes and the stack's own GET /api/health.
  ...docsRoutes(() => [apiHealthRoute, ...apiRoutes]),
];
