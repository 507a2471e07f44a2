/**
 * GET /api/status: the figures of `atc status --json`, from the same `readCompanyStatus`, and the
 * workers seen now (lease owners of running steps; `atc status` keeps its output as it was). Under
 * load the dashboard serves one read to every request of a STATUS_CACHE_MS window (its `asOf` says
 * when the figures were read).
 * @module
 */
import { StatusResponse } from '@atc/contracts';
import { readCompanyStatus, selectWorkersSeen } from '@atc/trading';
import type { Pool } from 'pg';
import { defineRoute, ok } from '../../api-route';
import { toWire } from './route-wire';

/** The status as of `asOf`, on the wire; the dashboard shares one read per STATUS_CACHE_MS (main.ts). */
export async function readStatusResponse(pool: Pool, asOf: Date): Promise<StatusResponse> {
  const [status, workers] = await Promise.all([readCompanyStatus(pool, asOf), selectWorkersSeen(pool)]);
  return toWire(StatusResponse, { ...status, workers });
}

export const statusRoute = defineRoute({
  method: 'GET',
  path: '/api/status',
  access: 'read',
  summary:
    'The company at a glance: positions with marks, P&L today, queue, heartbeat, breakers, halts, workers, reconciliation backlog',
  tag: 'status',
  response: StatusResponse,
  async handle(_input, context) {
    const shared = context.services.companyStatus;
    return ok(shared ? await shared() : await readStatusResponse(context.pool, context.clock.now()));
  },
});
