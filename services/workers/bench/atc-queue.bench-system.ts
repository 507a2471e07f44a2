import { randomUUID } from 'node:crypto';
import type { ClaimedStep, StepOutcome } from '@atc/queue';
import { WorkerRuntime } from '@atc/queue';
import { DEFAULT_WORKER_PREFETCH } from '../src/worker.config';
import { countUnfinishedSteps, insertBacklog, truncateQueueTables } from './bench-steps.queries';
import { createObservedPool, type StatementObserver } from './observed-client';
import type { RunRecorder } from './run-recorder';
import type { SystemDefinition } from './system-under-test';

const STEPS_PER_MISSION = 4;

/** Connections for N workers: one per in-flight settle, one for the claim, one spare (≥ 10). */
export const atcPoolSize = (workers: number): number => Math.max(10, workers + 2);

/**
 * Reads claims and completions of our queue off the wire:
 * - a claim is a statement whose rows carry `leaseOwner` (claimSteps' RETURNING); its time is when
 *   the claim query was sent;
 * - a completion is a fenced transition to `succeeded` (rows with id, missionId and to); its time
 *   is when the COMMIT of its transaction returned (or the statement itself, outside a transaction).
 */
export function atcQueueObserver(recorder: RunRecorder): StatementObserver {
  const openTransactions = new WeakMap<object, string[]>();
  return (statement, result, answeredAt) => {
    const text = statement.text.trim().toLowerCase();
    if (text === 'begin' || text.startsWith('begin ')) {
      openTransactions.set(statement.connection, []);
      return;
    }
    if (text === 'commit' || text === 'rollback') {
      const settled = openTransactions.get(statement.connection);
      openTransactions.delete(statement.connection);
      if (text === 'commit' && settled && settled.length > 0) recorder.completed(settled, answeredAt);
      return;
    }
    const rows = result.rows;
    const first = rows[0];
    if (!first) return;
    if ('leaseOwner' in first) {
      recorder.claimed(
        rows.map((row) => String(row.id)),
        statement.sentAt,
      );
      return;
    }
    if ('missionId' in first && 'to' in first && 'id' in first) {
      const succeeded = rows.filter((row) => row.to === 'succeeded').map((row) => String(row.id));
      const open = openTransactions.get(statement.connection);
      if (open) open.push(...succeeded);
      else recorder.completed(succeeded, answeredAt);
    }
  };
}

/** The no-op venue: the step succeeds at once. */
function noOpExecutor(recorder: RunRecorder) {
  return (step: ClaimedStep): Promise<StepOutcome> => {
    recorder.executed(step.id);
    return Promise.resolve({ type: 'succeeded' });
  };
}

export const atcQueue: SystemDefinition = {
  label: 'atc step queue',
  describe: (workers) =>
    `WorkerRuntime (WORKER_CONCURRENCY=${workers}, pool ${atcPoolSize(workers)}), claimSteps → no-op ` +
    `executor → settleStep (fenced transition, the batch's steps event, mission roll-up; group-committed, ` +
    `two batches in flight); claims hold up to WORKER_PREFETCH (BENCH_PREFETCH, default ` +
    `${DEFAULT_WORKER_PREFETCH}) ahead, paced by measured claim and step durations, and write their ` +
    `own event and roll-up; ` +
    `claim = claim query sent, complete = COMMIT returned`,
  create: (context, { workers, recorder }) => {
    const pool = createObservedPool(
      { connectionString: context.databaseUrl, max: atcPoolSize(workers) },
      atcQueueObserver(recorder),
    );
    pool.on('error', (error) => context.logger.error({ err: error }, 'benchmark connection failed'));
    const runtime = new WorkerRuntime({
      pool,
      market: 'crypto',
      workerId: `bench-${randomUUID().slice(0, 8)}`,
      kinds: ['execute_trade'],
      concurrency: workers,
      prefetch: context.atcPrefetch,
      leaseMs: 30_000,
      leaseRenewIntervalMs: 10_000,
      pollIntervalMs: 1_000,
      executor: noOpExecutor(recorder),
      mayClaim: () => true,
      logger: context.logger,
    });
    return {
      seed: async (count) => {
        await truncateQueueTables(context.admin);
        const missions = Math.ceil(count / STEPS_PER_MISSION);
        const inserted = await insertBacklog(context.admin, {
          runId: `bench-${randomUUID()}`,
          missions,
          stepsPerMission: STEPS_PER_MISSION,
        });
        await context.admin.query('vacuum analyze atc.steps, atc.missions, atc.events');
        return inserted;
      },
      start: () => {
        runtime.start();
        return Promise.resolve();
      },
      stop: async () => {
        await runtime.drain();
        await pool.end();
      },
      countUnfinished: () => countUnfinishedSteps(context.admin),
    };
  },
};
