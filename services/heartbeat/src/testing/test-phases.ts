/**
 * Phases for the runner's tests. Each one writes a `heartbeat_test_phase` event inside its
 * transaction, so a test can count from the database which runs really did the work and see that a
 * cancelled phase's write was rolled back.
 * @module
 */
import { withTransaction } from '@atc/platform';
import type { HeartbeatPhase, HeartbeatPhaseName, PhaseContext } from '../phases/heartbeat-phase';

export async function recordPhaseWork(
  context: PhaseContext,
  name: string,
  sleepMs: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await withTransaction(
    context.pool,
    async (client) => {
      await client.query(
        `insert into atc.events (type, aggregate_type, aggregate_id, payload)
         values ('heartbeat_test_phase', 'heartbeat_test', $1::text, $2::jsonb)`,
        [name, JSON.stringify({ phase: name, pid: process.pid, ...extra })],
      );
      if (sleepMs > 0) await client.query('select pg_sleep($1::float8)', [sleepMs / 1000]);
    },
    { statementTimeoutMs: context.remainingMs() },
  );
}

/** A phase whose SQL (in a transaction with `SET LOCAL statement_timeout`) takes `sleepMs`. */
export function sqlPhase(name: HeartbeatPhaseName, sleepMs: number, onRun?: () => void): HeartbeatPhase {
  return {
    name,
    async run(context) {
      onRun?.();
      await recordPhaseWork(context, name, sleepMs);
      return { summary: { sleptMs: sleepMs } };
    },
  };
}
