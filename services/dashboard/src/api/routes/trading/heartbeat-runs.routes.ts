/**
 * GET /api/heartbeat/runs: the heartbeat's runs, newest first, each with its duration, status, errors
 * and phases (the System view's history; GET /api/status names only the last run).
 * @module
 */
import { HeartbeatRunListQuery, HeartbeatRunPage } from '@atc/contracts';
import { pageHeartbeatRuns } from '@atc/trading';
import { defineRoute, ok } from '../../api-route';
import { pageRequestOf, toWire, wirePage } from './route-wire';

export const listHeartbeatRunsRoute = defineRoute({
  method: 'GET',
  path: '/api/heartbeat/runs',
  access: 'read',
  summary: 'Heartbeat runs, newest first: start, duration, status, errors and each phase with its time',
  tag: 'status',
  query: HeartbeatRunListQuery,
  response: HeartbeatRunPage,
  async handle({ query }, context) {
    const page = await pageHeartbeatRuns(context.pool, pageRequestOf(query));
    return ok(toWire(HeartbeatRunPage, wirePage(page)));
  },
});

export const heartbeatRunRoutes = [listHeartbeatRunsRoute] as const;
