import PgBoss from 'pg-boss';
import { createObservedPool, type StatementObserver } from './observed-client';
import type { RunRecorder } from './run-recorder';
import type { SystemDefinition } from './system-under-test';

const SCHEMA = 'pgboss';
const INSERT_CHUNK = 1_000;
/** pg-boss's default pool size (its `max`). */
const POOL_SIZE = 10;

/**
 * pg-boss 10.4.2, read off the wire like the others:
 * - a claim is its fetch (`… FOR UPDATE SKIP LOCKED … SET state = 'active'`); its time is when the
 *   fetch was sent;
 * - a completion is its complete-by-ids statement (`state = 'completed' … UNNEST($2::uuid[])`); its
 *   time is when that autocommitted statement returned.
 */
export function pgBossObserver(recorder: RunRecorder): StatementObserver {
  return (statement, result, answeredAt) => {
    const text = statement.text;
    if (text.includes('FOR UPDATE SKIP LOCKED') && text.includes("state = 'active'")) {
      const rows = result.rows;
      recorder.claimed(
        rows.map((row) => String(row.id)),
        statement.sentAt,
      );
    } else if (text.includes("state = 'completed'") && text.includes('UNNEST($2::uuid[])')) {
      const ids = statement.values[1];
      if (Array.isArray(ids)) recorder.completed(ids.map(String), answeredAt);
    }
  };
}

export const pgBoss: SystemDefinition = {
  label: 'pg-boss',
  describe: (workers) =>
    `${workers} × work({ batchSize: 1 }), pool ${POOL_SIZE}, default polling; each handler calls ` +
    `notifyWorker(its own worker) so the loop fetches again at once instead of sleeping out ` +
    `pollingIntervalSeconds (otherwise one job per worker per 2 s); claim = fetch sent, ` +
    `complete = complete returned`,
  create: (context, { workers, recorder }) => {
    const pool = createObservedPool(
      { connectionString: context.databaseUrl, max: POOL_SIZE },
      pgBossObserver(recorder),
    );
    pool.on('error', (error) => context.logger.error({ err: error }, 'benchmark connection failed'));
    const boss = new PgBoss({
      schema: SCHEMA,
      db: { executeSql: (text, values) => pool.query(text, values) },
    });
    boss.on('error', (error) => context.logger.error({ err: error }, 'pg-boss reported an error'));
    // One queue (one partition in pg-boss 10) per configuration.
    const queue = `bench_${workers}_${Date.now().toString(36)}`;
    return {
      seed: async (count) => {
        await boss.start();
        await boss.createQueue(queue);
        for (let start = 0; start < count; start += INSERT_CHUNK) {
          const size = Math.min(INSERT_CHUNK, count - start);
          await boss.insert(
            Array.from({ length: size }, (_, i) => ({ name: queue, data: { index: start + i } })),
          );
        }
        await context.admin.query(`vacuum analyze ${SCHEMA}.job`);
        return count;
      },
      start: async () => {
        for (let i = 0; i < workers; i++) {
          // work() returns the worker's id after it has started; its first fetch is still in flight.
          const worker: { id?: string } = {};
          worker.id = await boss.work<{ index: number }>(queue, { batchSize: 1 }, (jobs) => {
            for (const job of jobs) recorder.executed(job.id);
            if (worker.id !== undefined) boss.notifyWorker(worker.id);
            return Promise.resolve();
          });
        }
      },
      stop: async () => {
        await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
        await pool.end();
      },
      countUnfinished: async () => {
        const { rows } = await context.admin.query<{ n: number }>(
          `select count(*)::int as n from ${SCHEMA}.job where name = $1::text and state <> 'completed'`,
          [queue],
        );
        return rows[0]?.n ?? 0;
      },
    };
  },
};
