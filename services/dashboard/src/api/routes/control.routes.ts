/**
 * Routes: policies, kill switch and loss latch, reconciliation queue (one file per area under
 * control/).
 * @module
 */
import type { ApiRoute } from '../api-route';
import { killSwitchRoutes } from './control/kill-switch.routes';
import { policyRoutes } from './control/policies.routes';
import { reconciliationRoutes } from './control/reconciliation.routes';

export const controlRoutes: readonly ApiRoute[] = [
  ...policyRoutes,
  ...killSwitchRoutes,
  ...reconciliationRoutes,
];
