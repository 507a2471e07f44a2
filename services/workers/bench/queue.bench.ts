/**
 * `npm run bench:queue` — the step queue against graphile-worker and pg-boss, on the same PostgreSQL,
 * in the same run (issue 4, item 8). Every configuration drains a backlog of no-op jobs with N
 * workers: claim → execute (no-op venue / no-op handler) → complete. Each runs BENCH_REPEATS times,
 * the systems taking turns. It prints, per system and worker count, the medians of steps/s and of
 * p50/p99 claim-to-complete, duplicates and lost, then the 8-worker target (the median of the
 * per-repetition ratios, each of our runs against its neighbouring graphile-worker run).
 *
 * How it measures (the same way for every system): each system gets a pg pool whose connections
 * report every statement (observed-client.ts). Claim time is when the claim statement was sent;
 * completion time is when the statement that made the completion durable returned — the COMMIT of
 * our settle transaction, graphile's DELETE, pg-boss's complete UPDATE (both autocommitted). For
 * batched modes that includes waiting for the batch. Throughput counts completions after the warm-up
 * (the first BENCH_WARMUP_STEPS completions) over the time from the last warm-up completion to the
 * last completion. Duplicates: jobs a handler ran more than once. Lost: jobs whose completion was
 * not committed when the configuration ended (counted in the database).
 *
 * Bounded: each configuration stops after BENCH_CONFIG_TIMEOUT_MS whatever happened, the embedded
 * server is stopped and its folder removed, and the process exits.
 * @module
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { z } from 'zod';
import {
  ATC_VERSION,
  createLogger,
  errorMessage,
  integer,
  loadConfig,
  postgresUrl,
  type Logger,
} from '@atc/platform';
import { DEFAULT_WORKER_PREFETCH } from '../src/worker.config';
import { atcQueue } from './atc-queue.bench-system';
import { openBenchDatabase } from './bench-database';
import { formatReport, type ResultRow } from './bench-report';
import { graphileDefault, graphileTuned } from './graphile-worker.bench-system';
import { pgBoss } from './pg-boss.bench-system';
import { RunRecorder } from './run-recorder';
import type { BenchContext, SystemDefinition } from './system-under-test';

const SYSTEMS = {
  atc: atcQueue,
  'graphile-default': graphileDefault,
  'graphile-tuned': graphileTuned,
  'pg-boss': pgBoss,
} as const satisfies Record<string, SystemDefinition>;
type SystemKey = keyof typeof SYSTEMS;

/** A comma-separated list, each part checked by `item`. */
const commaList = (value: string): string[] => value.split(',').map((part) => part.trim());
const SYSTEM_KEYS = Object.keys(SYSTEMS) as [SystemKey, ...SystemKey[]];

const environment = z.object({
  BENCH_DATABASE_URL: postgresUrl().optional(),
  BENCH_STEPS: integer(100, 1_000_000).default(3_000),
  BENCH_WARMUP_STEPS: integer(1, 100_000).default(500),
  BENCH_WORKERS: z
    .string()
    .default('1,4,8,16')
    .transform((value) => commaList(value).map(Number))
    .pipe(z.array(z.number().int().min(1).max(64)).min(1)),
  BENCH_SYSTEMS: z
    .string()
    .default(SYSTEM_KEYS.join(','))
    .transform(commaList)
    .pipe(z.array(z.enum(SYSTEM_KEYS)).min(1)),
  /** Every configuration runs this many times, the systems in turn; the report gives medians. */
  BENCH_REPEATS: integer(1, 20).default(3),
  BENCH_CONFIG_TIMEOUT_MS: integer(1_000, 600_000).default(60_000),
  /** Our runtime's prefetch queue, as WORKER_PREFETCH sets it in a worker; the default is the worker's. */
  BENCH_PREFETCH: integer(0, 1_000).default(DEFAULT_WORKER_PREFETCH),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
});
type BenchConfig = z.infer<typeof environment>;

const STOP_TIMEOUT_MS = 20_000;

async function within<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

interface Configuration {
  readonly context: BenchContext;
  readonly definition: SystemDefinition;
  readonly workers: number;
  readonly repetition: number;
  readonly config: BenchConfig;
  readonly serverCpuMs: () => number | undefined;
}

async function runConfiguration({
  context,
  definition,
  workers,
  repetition,
  config,
  serverCpuMs,
}: Configuration): Promise<ResultRow> {
  const recorder = new RunRecorder();
  const system = definition.create(context, { workers, recorder });
  const enqueued = await system.seed(config.BENCH_STEPS + config.BENCH_WARMUP_STEPS);
  const started = performance.now();
  const nodeCpuBefore = process.cpuUsage();
  const serverCpuBefore = serverCpuMs();
  let drained: boolean;
  let cpu: { nodeMsPerJob: number; serverMsPerJob: number };
  try {
    await system.start();
    drained = await recorder.waitForCompletions(enqueued, config.BENCH_CONFIG_TIMEOUT_MS);
    // Read before stopping, while this system's server backends are still alive to be counted.
    const node = process.cpuUsage(nodeCpuBefore);
    const server = serverCpuMs();
    const jobs = Math.max(1, recorder.completedCount);
    cpu = {
      nodeMsPerJob: (node.user + node.system) / 1000 / jobs,
      serverMsPerJob:
        server === undefined || serverCpuBefore === undefined
          ? Number.NaN
          : (server - serverCpuBefore) / jobs,
    };
  } finally {
    await within(system.stop(), STOP_TIMEOUT_MS, `stopping ${definition.label}`);
  }
  const lost = await system.countUnfinished();
  const figures = recorder.summarise(config.BENCH_WARMUP_STEPS);
  const load = loadavg()[0] ?? Number.NaN;
  context.logger.info(
    {
      system: definition.label,
      workers,
      repetition,
      enqueued,
      drained,
      seconds: Math.round(performance.now() - started) / 1000,
      ...figures,
      ...cpu,
      load,
      lost,
    },
    'configuration finished',
  );
  if (figures.untimed > 0) {
    context.logger.warn({ untimed: figures.untimed }, 'some completions had no observed claim');
  }
  return {
    system: definition.label,
    workers,
    repetition,
    ...figures,
    ...cpu,
    load,
    lost,
    enqueued,
    drained,
  };
}

async function run(): Promise<void> {
  const config = loadConfig(environment);
  const logger: Logger = createLogger({
    service: 'bench-queue',
    version: ATC_VERSION,
    level: config.LOG_LEVEL,
    format: 'json',
    destination: process.stderr,
  });
  // The systems log per job at info; only their warnings and errors are wanted here.
  const systemLogger = logger.child({}, { level: 'warn' });
  const database = await openBenchDatabase(config.BENCH_DATABASE_URL, logger);
  // Ctrl-C must not leave the embedded server (its own process group) running.
  const interrupted = (signal: NodeJS.Signals) => {
    logger.warn({ signal }, 'interrupted; stopping the benchmark database');
    void database.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  // Nor may a crash inside a system under test (pg-boss rejects unhandled when its pool is gone).
  const crashed = (error: unknown) => {
    logger.fatal({ err: error }, 'benchmark crashed; stopping the benchmark database');
    void database.close().finally(() => process.exit(1));
  };
  process.once('uncaughtException', crashed);
  process.once('unhandledRejection', crashed);
  const admin = new Pool({ connectionString: database.url, max: 2 });
  admin.on('error', (error) => {
    // pool.end() resolves before its sockets close, so the server's shutdown can still reach them.
    if (!admin.ending) logger.error({ err: error }, 'benchmark admin connection failed');
  });
  // graphile-worker (migrations, addJobs) uses this pool too and wants client errors handled.
  admin.on('connect', (client) =>
    client.on('error', (error) => {
      if (!admin.ending) logger.error({ err: error }, 'benchmark admin connection failed');
    }),
  );
  const rows: ResultRow[] = [];
  try {
    const version = await admin.query<{ server_version: string }>('show server_version');
    const context: BenchContext = {
      databaseUrl: database.url,
      admin,
      logger: systemLogger,
      atcPrefetch: config.BENCH_PREFETCH,
    };
    for (const workers of config.BENCH_WORKERS) {
      // Repetitions interleave the systems, so each of our runs has a neighbour of every other system
      // that saw the same machine (a shared 2-CPU VM drifts by ±20 % within minutes).
      for (let repetition = 1; repetition <= config.BENCH_REPEATS; repetition++) {
        for (const key of config.BENCH_SYSTEMS) {
          logger.info({ system: SYSTEMS[key].label, workers, repetition }, 'configuration starting');
          rows.push(
            await runConfiguration({
              context,
              definition: SYSTEMS[key],
              workers,
              repetition,
              config,
              serverCpuMs: database.serverCpuMs,
            }),
          );
        }
      }
    }
    process.stdout.write(
      formatReport({
        rows,
        systems: config.BENCH_SYSTEMS.map((key) => SYSTEMS[key]),
        environment: [
          `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ` +
            `PostgreSQL ${version.rows[0]?.server_version ?? '?'} on the same machine — ${database.where}`,
          `${config.BENCH_STEPS} measured + ${config.BENCH_WARMUP_STEPS} warm-up jobs per run, ` +
            `${config.BENCH_REPEATS} runs per configuration; our steps come 4 per mission`,
        ],
      }),
    );
  } finally {
    await admin.end();
    await database.close();
  }
}

run()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    process.stderr.write(`bench:queue failed: ${errorMessage(error)}\n`);
    if (error instanceof Error && error.cause !== undefined) {
      process.stderr.write(`caused by: ${errorMessage(error.cause)}\n`);
    }
    process.exit(1);
  });
