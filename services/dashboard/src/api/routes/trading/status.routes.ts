/**
 * GET /api/status: the figures of `atc status --json`, from the same `readCompanyStatus`.
 * @module
 */
import { StatusResponse } from '@atc/contracts';
import { readCompanyStatus } from '@atc/trading';
import { defineRoute, ok } from '../../api-route';
import { toWire } from './route-wire';

export const statusRoute = defineRoute({
  method: 'GET',
  path: '/api/status',
  access: 'read',
  summary: 'The company at a glance: positions with marks, P&L today, queue, heartbeat, breakers, halts',
  tag: 'status',
  response: StatusResponse,
  async handle(_input, context) {
    return ok(toWire(StatusResponse, await readCompanyStatus(context.pool, context.clock.now())));
  },
});
