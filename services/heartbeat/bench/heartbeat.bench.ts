/**
 * `npm run bench:heartbeat`: a whole heartbeat run with the real phases over a large state, on a
 * fresh embedded PostgreSQL (fsync off). Market data is an in-process deterministic feed (the runner
 * is measured, not the simulator's HTTP). Target: a whole run under 1 s (the alert is at 10 s).
 * @module
 */
import { performance } from 'node:perf_hooks';
import { createLogger, startScratchDatabase } from '@atc/platform';
import { applySeeds, type MarketDataSource } from '@atc/trading';
import { createHeartbeatPhases } from '../src/heartbeat-phases';
import { runHeartbeat, type HeartbeatOutcome } from '../src/heartbeat-runner';
import { countState, seedLargeState } from './bench-state.queries';

const RUNS = 3;
const logger = createLogger({
  service: 'heartbeat-bench',
  version: 'bench',
  level: 'warn',
  format: 'pretty',
});

const marketData: MarketDataSource = {
  quote(_market, instrument) {
    const price = (100 + (instrument.length % 7)).toFixed(2);
    return Promise.resolve({ instrument, bid: price, ask: price, last: price });
  },
};

function write(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function report(run: number, outcome: HeartbeatOutcome): void {
  if (outcome.kind !== 'ran') return write(`run ${run}: skipped`);
  write(`run ${run}: ${outcome.status}, ${outcome.durationMs} ms`);
  for (const phase of outcome.phases) {
    const detail = phase.error
      ? `${phase.error.code}: ${phase.error.message}`
      : JSON.stringify(phase.summary ?? {});
    write(
      `  ${phase.name.padEnd(20)} ${String(phase.durationMs).padStart(6)} ms  ${phase.status.padEnd(7)} ${detail}`,
    );
  }
}

async function main(): Promise<void> {
  const database = await startScratchDatabase({ name: 'atc_heartbeat_bench', logger, from: __dirname });
  // Without an error handler an idle client terminated during teardown (57P01) crashed the bench.
  const pool = database.pool({ max: 10, label: 'phases', applicationName: 'atc-heartbeat-bench-phases' });
  const leasePool = database.pool({ max: 2, label: 'lease', applicationName: 'atc-heartbeat-bench' });
  try {
    await applySeeds(pool);
    const seeding = performance.now();
    await seedLargeState(pool);
    write(
      `state: ${JSON.stringify(await countState(pool))} (seeded in ${Math.round(performance.now() - seeding)} ms)`,
    );
    write(
      'embedded PostgreSQL (fsync=off); market data in-process; default budgets (5 s per phase, 30 s run)',
    );
    write();
    for (let run = 1; run <= RUNS; run++) {
      const outcome = await runHeartbeat({
        pool,
        leasePool,
        phaseApplicationName: 'atc-heartbeat-bench-phases',
        phases: createHeartbeatPhases(),
        settings: {
          timeoutMs: 30_000,
          phaseBudgetMs: 5_000,
          phaseBudgetsMs: {},
          leaseTtlMs: 15_000,
          cancelGraceMs: 1_000,
          seed: run,
        },
        owner: `bench:${run}`,
        logger,
        marketData,
        venues: {},
      });
      report(run, outcome);
    }
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'heartbeat benchmark failed');
  process.exit(1);
});
