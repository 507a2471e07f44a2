import {
  Logger as GraphileLogger,
  makeWorkerUtils,
  run,
  runMigrations,
  type Runner,
  type TaskList,
} from 'graphile-worker';
import type { Logger } from '@atc/platform';
import { createObservedPool, type StatementObserver } from './observed-client';
import type { RunRecorder } from './run-recorder';
import type { BenchContext, SystemDefinition, SystemUnderTest } from './system-under-test';

const TASK = 'bench_noop';
const ADD_JOBS_CHUNK = 1_000;

/**
 * graphile-worker 0.17.3, read off the wire like our queue:
 * - a claim is its get-job statement (`… for update skip locked … returning *` on _private_jobs,
 *   rows carrying task_id and locked_by); its time is when that statement was sent. With the local
 *   queue one statement locks up to localQueue.size jobs, and all of them count as claimed then:
 *   from that moment no other worker can take them.
 * - a completion is its `delete from _private_jobs` (one id, or an array when batched); its time is
 *   when that autocommitted statement returned, so batched completions wait for their batch.
 */
export function graphileObserver(recorder: RunRecorder): StatementObserver {
  return (statement, result, answeredAt) => {
    const text = statement.text;
    if (!text.includes('._private_jobs')) return;
    if (/delete from \S+\._private_jobs/.test(text)) {
      const ids = statement.values[0];
      recorder.completed(Array.isArray(ids) ? ids.map(String) : [String(ids)], answeredAt);
      return;
    }
    const rows = result.rows;
    if (rows[0] && 'task_id' in rows[0] && 'locked_by' in rows[0]) {
      recorder.claimed(
        rows.map((row) => String(row.id)),
        statement.sentAt,
      );
    }
  };
}

/** graphile-worker's logger, forwarding its warnings and errors to ours (info is per job: dropped). */
function graphileLogger(logger: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const fields = { graphile: { scope, meta } };
    if (String(level) === 'error') logger.error(fields, message);
    else if (String(level) === 'warning') logger.warn(fields, message);
  });
}

export interface GraphileSettings {
  readonly tuned: boolean;
}

/** graphile's own advice: maxPoolSize 10 or concurrentJobs + 2, whichever is larger. */
const tunedPoolSize = (workers: number): number => Math.max(10, workers + 2);

function graphileSystem(
  context: BenchContext,
  settings: GraphileSettings,
  workers: number,
  recorder: RunRecorder,
): SystemUnderTest {
  // Default: graphile's default pool (10). Tuned: graphile's published performance preset.
  const pool = createObservedPool(
    {
      connectionString: context.databaseUrl,
      max: settings.tuned ? tunedPoolSize(workers) : 10,
    },
    graphileObserver(recorder),
  );
  // graphile-worker wants both: an idle client's error must not crash the process.
  pool.on('error', (error) => context.logger.error({ err: error }, 'benchmark connection failed'));
  pool.on('connect', (client) =>
    client.on('error', (error) => context.logger.error({ err: error }, 'benchmark connection failed')),
  );
  const logger = graphileLogger(context.logger);
  let runner: Runner | undefined;
  const taskList: TaskList = {
    [TASK]: (_payload, helpers) => {
      recorder.executed(String(helpers.job.id));
      return Promise.resolve();
    },
  };
  return {
    seed: async (count) => {
      await runMigrations({ pgPool: context.admin, logger });
      // A throwaway database: clear what an earlier configuration may have left.
      await context.admin.query('truncate graphile_worker._private_jobs');
      const utils = await makeWorkerUtils({ pgPool: context.admin, logger });
      try {
        for (let start = 0; start < count; start += ADD_JOBS_CHUNK) {
          const size = Math.min(ADD_JOBS_CHUNK, count - start);
          await utils.addJobs(
            Array.from({ length: size }, (_, i) => ({ identifier: TASK, payload: { index: start + i } })),
          );
        }
      } finally {
        await utils.release();
      }
      await context.admin.query('vacuum analyze graphile_worker._private_jobs');
      return count;
    },
    start: async () => {
      runner = await run({
        pgPool: pool,
        concurrency: workers,
        noHandleSignals: true,
        logger,
        taskList,
        parsedCronItems: [],
        preset: settings.tuned
          ? { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } }
          : {},
      });
    },
    stop: async () => {
      await runner?.stop();
      await pool.end();
    },
    countUnfinished: async () => {
      const { rows } = await context.admin.query<{ n: number }>(
        'select count(*)::int as n from graphile_worker._private_jobs',
      );
      return rows[0]?.n ?? 0;
    },
  };
}

export const graphileDefault: SystemDefinition = {
  label: 'graphile-worker default',
  describe: (workers) =>
    `run({ concurrency: ${workers} }), pool 10, no local queue, no batching; claim = get_job sent, ` +
    `complete = delete returned`,
  create: (context, { workers, recorder }) => graphileSystem(context, { tuned: false }, workers, recorder),
};

export const graphileTuned: SystemDefinition = {
  label: 'graphile-worker tuned',
  describe: (workers) =>
    `run({ concurrency: ${workers} }), pool ${tunedPoolSize(workers)}, localQueue.size 500, ` +
    `completeJobBatchDelay 0, failJobBatchDelay 0 (its published performance preset); ` +
    `claim = batch get_jobs sent, complete = batched delete returned`,
  create: (context, { workers, recorder }) => graphileSystem(context, { tuned: true }, workers, recorder),
};
