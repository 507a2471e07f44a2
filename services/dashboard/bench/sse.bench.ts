/**
 * `npm run bench:sse` — the live stream under load (issue 15): BENCH_CLIENTS (1,000) SSE clients on
 * loopback read GET /api/stream from a dashboard process while BENCH_EVENTS_PER_SECOND (100) events
 * are appended for BENCH_DURATION_S (60) seconds. Prints the delivery lag from insert to receipt
 * (p50/p99: each event carries the wall-clock instant it was inserted, and client and server share the
 * machine's clock), events lost (every client must receive every event: must be 0), duplicates, and the
 * dashboard process's RSS (peak of samples every second). Goal: lag p99 < 250 ms with RSS < 300 MB.
 *
 * The database is a fresh embedded PostgreSQL (or a new database on BENCH_DATABASE_URL's server),
 * dropped at the end. The dashboard runs as a child process (the stream's test entry: the stream
 * route on express, no authentication).
 * @module
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { z } from 'zod';
import {
  ATC_VERSION,
  createLogger,
  findMigrationsDirectory,
  integer,
  loadConfig,
  makeScratchDirectory,
  Migrator,
  postgresUrl,
  startLocalPostgres,
  withDatabase,
  type LocalPostgres,
} from '@atc/platform';
import { childEnvironment, runTypeScript } from '@atc/platform/testing';
import { SseReader } from '../src/api/stream/testing/sse-reader';

const config = loadConfig(
  z.object({
    BENCH_CLIENTS: integer(1, 100_000).default(1_000),
    BENCH_EVENTS_PER_SECOND: integer(1, 100_000).default(100),
    BENCH_DURATION_S: integer(1, 3_600).default(60),
    BENCH_DATABASE_URL: postgresUrl().optional(),
  }),
  process.env,
);
const logger = createLogger({ service: 'bench-sse', version: ATC_VERSION, level: 'warn', format: 'json' });

interface Tally {
  received: number;
  duplicates: number;
  lastId: bigint;
}

async function openDatabase(): Promise<{ url: string; close: () => Promise<void> }> {
  let server: LocalPostgres | undefined;
  let scratch: string | undefined;
  let serverUrl = config.BENCH_DATABASE_URL;
  if (!serverUrl) {
    scratch = makeScratchDirectory('atc-bench-pg-');
    server = await startLocalPostgres({
      dataDirectory: path.join(scratch, 'data'),
      persistent: false,
      durable: false,
    });
    serverUrl = server.url;
  }
  const name = `atc_bench_sse_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  // The name is built above from digits and letters only; identifiers cannot be bound.
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const migratePool = new Pool({ connectionString: url, max: 2 });
  await new Migrator({ pool: migratePool, directory: findMigrationsDirectory(__dirname), logger }).up();
  await migratePool.end();
  return {
    url,
    close: async () => {
      if (!server) {
        const dropper = new Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists "${name}" with (force)`);
        await dropper.end();
      }
      await server?.stop();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
  };
}

function percentile(histogram: Map<number, number>, total: number, fraction: number): number {
  let seen = 0;
  for (const [ms, count] of [...histogram.entries()].sort((a, b) => a[0] - b[0])) {
    seen += count;
    if (seen >= total * fraction) return ms;
  }
  return Number.NaN;
}

const rssBytes = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

async function run(): Promise<void> {
  const database = await openDatabase();
  const dashboard = runTypeScript(
    path.join(__dirname, '../src/api/stream/testing/stream-test-entry.ts'),
    [],
    childEnvironment({
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      SSE_MAX_CLIENTS: String(config.BENCH_CLIENTS + 10),
    }),
  );
  const pool = new Pool({ connectionString: database.url, max: 4 });
  try {
    await dashboard.waitFor(/stream listening \d+/, 60_000);
    const port = /stream listening (\d+)/.exec(dashboard.stdout())![1]!;
    const url = `http://127.0.0.1:${port}/api/stream`;
    const lags = new Map<number, number>();
    let lagSamples = 0;
    const tallies: Tally[] = [];
    const openClient = async () => {
      const tally: Tally = { received: 0, duplicates: 0, lastId: 0n };
      tallies.push(tally);
      await SseReader.open(url, {}, (message) => {
        if (message.id === undefined) return;
        const id = BigInt(message.id);
        if (id <= tally.lastId) {
          tally.duplicates += 1;
          return;
        }
        tally.lastId = id;
        tally.received += 1;
        const sentAt = /"sentAt":(\d+)/.exec(message.data);
        const lag = Math.max(0, Date.now() - Number(sentAt?.[1]));
        lags.set(lag, (lags.get(lag) ?? 0) + 1);
        lagSamples += 1;
      });
    };
    for (let i = 0; i < config.BENCH_CLIENTS; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, config.BENCH_CLIENTS - i) }, openClient));
    }
    const pid = dashboard.child.pid!;
    const rssAtStart = rssBytes(pid);
    let rssPeak = rssAtStart;
    const total = config.BENCH_EVENTS_PER_SECOND * config.BENCH_DURATION_S;
    const started = Date.now();
    let written = 0;
    // Paced by the elapsed time, so a slow insert is caught up rather than stretching the run.
    while (written < total) {
      const due = Math.min(
        total,
        Math.floor(((Date.now() - started) / 1000) * config.BENCH_EVENTS_PER_SECOND) + 1,
      );
      while (written < due) {
        // As appendEvent writes an event (insert and notify in one statement), with the insert instant.
        await pool.query(
          `with inserted as (
             insert into atc.events (type, payload) values ('bench_sse', jsonb_build_object('sentAt', $1::bigint))
             returning id
           )
           select pg_notify('atc_events', id::text) from inserted`,
          [Date.now()],
        );
        written += 1;
      }
      rssPeak = Math.max(rssPeak, rssBytes(pid));
      await new Promise((resolve) => setTimeout(resolve, 5)); // pacing the writer, not waiting for a result
    }
    // Delivery ends when every client has the last event, or 10 s after the last write.
    const deadline = Date.now() + 10_000;
    while (tallies.some((t) => t.received < total) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    rssPeak = Math.max(rssPeak, rssBytes(pid));
    const lost = tallies.reduce((sum, t) => sum + Math.max(0, total - t.received), 0);
    const duplicates = tallies.reduce((sum, t) => sum + t.duplicates, 0);
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    process.stdout.write(
      [
        `bench:sse — ${config.BENCH_CLIENTS} clients, ${config.BENCH_EVENTS_PER_SECOND} events/s for ${config.BENCH_DURATION_S} s (${total} events, ${lagSamples} deliveries)`,
        `delivery lag p50 ${percentile(lags, lagSamples, 0.5)} ms, p99 ${percentile(lags, lagSamples, 0.99)} ms, max ${Math.max(...lags.keys())} ms (goal p99 < 250 ms)`,
        `events lost ${lost} (must be 0), duplicates ${duplicates}`,
        `dashboard RSS at start ${mb(rssAtStart)} MB, peak ${mb(rssPeak)} MB (goal < 300 MB)`,
        '',
      ].join('\n'),
    );
  } finally {
    dashboard.child.kill('SIGTERM');
    await dashboard.exited;
    await pool.end();
    await database.close();
  }
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    logger.fatal({ err: error }, 'bench:sse failed');
    process.exit(1);
  },
);
