/**
 * `npm run bench:exporter`: the business-metrics snapshot the dashboard exports on every scrape, over
 * the benchmark's data set (1,000 open positions, 100,000 events and proportionate history; the same
 * set business-metrics.plans.int.test.ts checks plans on), on a fresh embedded PostgreSQL (fsync off).
 * Prints each statement's p50/p99 over 100 snapshots, the whole snapshot's, and each plan's top node
 * and the indexes it uses. Budget: a snapshot every 15 s per Prometheus replica, so tens of ms is cheap.
 * @module
 */
import { performance } from 'node:perf_hooks';
import { type Pool } from 'pg';
import { createLogger, startScratchDatabase } from '@atc/platform';
import { applySeeds, readBusinessMetrics, type BusinessMetricsQuery } from '@atc/trading';
import {
  countExporterScale,
  explainStatement,
  planNodes,
  recordingQueryable,
  seedExporterScale,
} from '@atc/trading/testing';

const SNAPSHOTS = 100;
const logger = createLogger({ service: 'exporter-bench', version: 'bench', level: 'warn', format: 'pretty' });

function write(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(2).padStart(7)} ms`;

async function measure(pool: Pool): Promise<void> {
  const timings = new Map<BusinessMetricsQuery | 'snapshot', number[]>();
  const record = (name: BusinessMetricsQuery | 'snapshot', seconds: number) =>
    timings.set(name, [...(timings.get(name) ?? []), seconds]);
  // Warm-up: the first snapshot plans and caches; it is not counted.
  await readBusinessMetrics(pool, { asOf: new Date() });
  for (let i = 0; i < SNAPSHOTS; i++) {
    const started = performance.now();
    await readBusinessMetrics(pool, { asOf: new Date(), observe: record });
    record('snapshot', (performance.now() - started) / 1000);
  }
  write(`${'statement'.padEnd(24)} ${'p50'.padStart(10)} ${'p99'.padStart(10)}   (${SNAPSHOTS} snapshots)`);
  for (const [name, values] of timings) {
    const sorted = [...values].sort((a, b) => a - b);
    write(`${name.padEnd(24)} ${ms(percentile(sorted, 50))} ${ms(percentile(sorted, 99))}`);
  }
}

async function plans(pool: Pool): Promise<void> {
  const recording = recordingQueryable(pool);
  await readBusinessMetrics(recording.db, { asOf: new Date() });
  write();
  write('plans (top node; scans):');
  for (const statement of recording.statements) {
    const plan = await explainStatement(pool, statement);
    const scans = planNodes(plan)
      .filter((node) => node['Relation Name'] ?? node['Index Name'])
      .map(
        (node) =>
          `${node['Node Type']} on ${node['Relation Name'] ?? '-'}${node['Index Name'] ? ` (${node['Index Name']})` : ''}`,
      );
    const first = statement.text.replace(/\s+/g, ' ').trim().slice(0, 60);
    write(`  ${plan['Node Type']} [cost ${plan['Total Cost'] ?? '?'}]  ${first}…`);
    write(`    ${scans.join('; ')}`);
  }
}

async function main(): Promise<void> {
  const database = await startScratchDatabase({ name: 'atc_exporter_bench', logger, from: __dirname });
  const pool = database.pool({ max: 10, label: 'bench' });
  try {
    await applySeeds(pool);
    const seeding = performance.now();
    await seedExporterScale(pool);
    write(
      `state: ${JSON.stringify(await countExporterScale(pool))} (seeded in ${Math.round(performance.now() - seeding)} ms)`,
    );
    write('embedded PostgreSQL (fsync=off), pool of 10; the 7 statements of a snapshot run concurrently');
    write();
    await measure(pool);
    await plans(pool);
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'exporter benchmark failed');
  process.exit(1);
});
