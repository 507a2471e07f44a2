/**
 * GET /api/status: the figures of `atc status --json`, from the same `readCompanyStatus`, and the
 * workers seen now (lease owners of running steps; `atc status` keeps its output as it was).
 * @module
 */
import { StatusResponse } from '@atc/contracts';
import { readCompanyStatus, selectWorkersSeen } from '@atc/trading';
import { defineRoute, ok } from '../../api-route';
import { toWire } from './route-wire';

export const statusRoute = defineRoute({
  method: 'GET',
  path: '/api/status',
  access: 'read',
  summary:
    'The company at a glance: positions with marks, P&L today, queue, heartbeat, breakers, halts, workers, reconciliation backlog',
  tag: 'status',
  response: StatusResponse,
  async handle(_input, context) {
    const [status, workers] = await Promise.all([
      readCompanyStatus(context.pool, context.clock.now()),
      selectWorkersSeen(context.pool),
    ]);
    return ok(toWire(StatusResponse, { ...status, workers }));
  },
});
