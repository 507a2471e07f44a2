/**
 * The views the app links and routes: only views that exist are listed. Each loads lazily, in its
 * own chunk.
 * @module
 */
import { lazy } from 'react';

const VIEWS = [
  {
    path: '/',
    title: 'Overview',
    component: lazy(() =>
      import('../views/overview/overview.view').then((m) => ({ default: m.OverviewView })),
    ),
  },
  {
    path: '/feed',
    title: 'Live feed',
    component: lazy(() => import('../views/feed/feed.view').then((m) => ({ default: m.FeedView }))),
  },
  {
    path: '/proposals',
    title: 'Proposals',
    component: lazy(() =>
      import('../views/proposals/proposals.view').then((m) => ({ default: m.ProposalsView })),
    ),
  },
  {
    path: '/missions',
    title: 'Missions',
    component: lazy(() =>
      import('../views/missions/missions.view').then((m) => ({ default: m.MissionsView })),
    ),
  },
  {
    path: '/orders',
    title: 'Orders',
    component: lazy(() => import('../views/orders/orders.view').then((m) => ({ default: m.OrdersView }))),
  },
  {
    path: '/positions',
    title: 'Positions',
    component: lazy(() =>
      import('../views/positions/positions.view').then((m) => ({ default: m.PositionsView })),
    ),
  },
  {
    path: '/agents',
    title: 'Agents',
    component: lazy(() => import('../views/agents/agents.view').then((m) => ({ default: m.AgentsView }))),
  },
  {
    path: '/system',
    title: 'System',
    component: lazy(() => import('../views/system/system.view').then((m) => ({ default: m.SystemView }))),
  },
  {
    path: '/kill-switch',
    title: 'Kill switch',
    component: lazy(() =>
      import('../views/kill-switch/kill-switch.view').then((m) => ({ default: m.KillSwitchView })),
    ),
  },
] as const;

export { VIEWS };
