/**
 * `npm run outage:e2e` (docs/operations/database-outage.md): the database stopped for real for 30 s
 * under `atc up --fresh` with trades in flight, once with the roles connected directly and once
 * through pgbouncer in transaction mode. Each run asserts: every role whose readiness checks the
 * database answers 503 within 5 s, none answers 200 while the database is down, no role process
 * exits (pids unchanged), every role is ready within 30 s of the database's return, every submitted
 * proposal is in the database with its trade step terminal exactly once, and the simulator received
 * no client order id twice. It prints the measured times; exit 1 when any run failed.
 * `--via direct` or `--via pgbouncer` runs one of the two.
 * @module
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { findFreePort, makeScratchDirectory, startLocalPostgres, withDatabase } from '@atc/platform';
import { chooseCompanyPorts, LocalCompany } from '../monitoring/local-company';
import { pollUntil } from '../monitoring/poll-until';
import { DatabaseServer, startPgbouncer } from './database-server';
import { databaseRoles, readyWhileDown, rolePids, timeUntilEvery } from './outage-watch';
import {
  accountProposals,
  raiseTradeLimits,
  tradesInFlight,
  describeAccounts,
  mergeSubmissions,
  describeJournal,
  duplicateOrders,
  recordedOrderIds,
  unrecordedOrders,
  proposalProblems,
  simulatorJournal,
  submitSteadily,
  type Submissions,
} from './trade-flow';
import { buildAtcBundle } from '../monitoring/build-bundle';

const REPO_ROOT = path.resolve(__dirname, '../..');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'atc.cjs');
const OUTAGE_MS = 30_000;
const NOT_READY_WITHIN_MS = 5_000;
const READY_AGAIN_WITHIN_MS = 30_000;
/** Trades run before the outage, so some are in flight when it starts. */
const TRADING_BEFORE_MS = 8_000;
const TRADING_AFTER_MS = 10_000;
const SETTLE_DEADLINE_MS = 120_000;

type Via = 'direct' | 'pgbouncer';

function say(text: string): void {
  process.stdout.write(`outage-e2e: ${text}\n`);
}

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

type CleanupStep = () => Promise<void> | void;

/** Runs the steps last-in first-out and empties the list: a signal and the run's own end both call it. */
async function runCleanup(steps: CleanupStep[]): Promise<void> {
  for (const step of steps.splice(0).reverse()) {
    try {
      await step();
    } catch (error) {
      say(`cleanup step failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

const COMPANY_SETTINGS = { HEARTBEAT_INTERVAL_SECONDS: '5', LOG_LEVEL: 'warn' } as const;

interface Setup {
  readonly company: LocalCompany;
  readonly server: DatabaseServer;
  /** A connection for the accounting, straight to the server. */
  readonly directUrl: string;
}

async function startDirect(work: string, cleanup: CleanupStep[]): Promise<Setup> {
  const ports = await chooseCompanyPorts();
  const home = path.join(work, '.atc');
  const company = await LocalCompany.start({ bundle: BUNDLE, home, ports, settings: COMPANY_SETTINGS });
  const server = new DatabaseServer(path.join(home, 'pg'), ports.postgres);
  // atc up stops the server it started; once restarted here, the server is this script's to stop.
  cleanup.push(() => server.stopIfRunning());
  cleanup.push(() => company.stop());
  return { company, server, directUrl: company.databaseUrl };
}

async function startBehindPgbouncer(work: string, cleanup: CleanupStep[]): Promise<Setup> {
  const dataDirectory = path.join(work, 'pg');
  const postgres = await startLocalPostgres({ dataDirectory, persistent: true });
  const server = new DatabaseServer(dataDirectory, postgres.port);
  cleanup.push(() => server.stopIfRunning());
  const admin = new Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('create database atc');
  await admin.end();
  const directUrl = withDatabase(postgres.url, 'atc');
  const bouncerDirectory = path.join(work, 'pgbouncer');
  mkdirSync(bouncerDirectory, { recursive: true });
  const credentials = new URL(postgres.url);
  const listenPort = await findFreePort();
  const bouncer = await startPgbouncer({
    directory: bouncerDirectory,
    listenPort,
    serverPort: postgres.port,
    user: decodeURIComponent(credentials.username),
    password: decodeURIComponent(credentials.password),
  });
  cleanup.push(async () => void (await bouncer.stop(5_000)));
  const pooledUrl = `postgres://${credentials.username}:${credentials.password}@127.0.0.1:${listenPort}/atc`;
  say(`pgbouncer (transaction mode) on :${listenPort} in front of PostgreSQL on :${postgres.port}`);
  // pgbouncer 1.18 (Debian 12) has no protocol-level prepared statements. The operator commands this
  // suite runs (LocalCompany.atc) take this process's environment, the roles take the settings below.
  process.env.DB_PREPARED_STATEMENTS = 'false';
  cleanup.push(() => void delete process.env.DB_PREPARED_STATEMENTS);
  const company = await LocalCompany.start({
    bundle: BUNDLE,
    home: path.join(work, '.atc'),
    ports: await chooseCompanyPorts(),
    settings: {
      ...COMPANY_SETTINGS,
      DATABASE_URL: pooledUrl,
      DATABASE_DIRECT_URL: directUrl,
      DB_PREPARED_STATEMENTS: 'false',
    },
  });
  cleanup.push(() => company.stop());
  return { company, server, directUrl };
}

interface OutageFigures {
  readonly notReady: Map<string, number>;
  readonly flapped: Set<string>;
  readonly readyAgain: Map<string, number>;
}

async function causeOutage(
  setup: Setup,
  roles: Awaited<ReturnType<typeof databaseRoles>>,
): Promise<OutageFigures> {
  say(`stopping PostgreSQL (pg_ctl stop -m fast) for ${seconds(OUTAGE_MS)}`);
  // Measured from the stop command: `pg_ctl stop -m fast` closes every connection, then waits for the exit.
  const watching = timeUntilEvery(roles, false, NOT_READY_WITHIN_MS + 5_000);
  const stopStarted = Date.now();
  await setup.server.stop();
  say(`PostgreSQL stopped (pg_ctl stop took ${seconds(Date.now() - stopStarted)})`);
  const notReady = await watching;
  let back: () => void = () => undefined;
  const backPromise = new Promise<void>((resolve) => (back = resolve));
  const flapping = readyWhileDown(roles, backPromise);
  // The outage itself lasts a fixed time: this wait is the thing under test, not a wait for an event.
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  back();
  const flapped = await flapping;
  say('starting PostgreSQL again (pg_ctl start)');
  // Measured from the start command: it returns once the server accepts connections.
  const watchingReady = timeUntilEvery(setup.company.admins, true, READY_AGAIN_WITHIN_MS + 30_000);
  const startStarted = Date.now();
  await setup.server.start();
  say(`PostgreSQL accepts connections again (pg_ctl start took ${seconds(Date.now() - startStarted)})`);
  const readyAgain = await watchingReady;
  return { notReady, flapped, readyAgain };
}

function judgeOutage(
  figures: OutageFigures,
  roles: readonly { role: string }[],
  all: readonly { role: string }[],
): string[] {
  const problems: string[] = [];
  for (const { role } of roles) {
    const ms = figures.notReady.get(role);
    say(
      `  ${role.padEnd(18)} not ready after ${seconds(ms)}, ready again after ${seconds(figures.readyAgain.get(role))}`,
    );
    if (ms === undefined || ms > NOT_READY_WITHIN_MS)
      problems.push(
        `${role} did not report not ready within ${seconds(NOT_READY_WITHIN_MS)} (${seconds(ms)})`,
      );
  }
  for (const role of figures.flapped) problems.push(`${role} answered ready while the database was down`);
  for (const { role } of all) {
    const ms = figures.readyAgain.get(role);
    if (ms === undefined || ms > READY_AGAIN_WITHIN_MS)
      problems.push(
        `${role} was not ready within ${seconds(READY_AGAIN_WITHIN_MS)} of the database's return (${seconds(ms)})`,
      );
  }
  return problems;
}

function comparePids(before: Map<string, number>, after: Map<string, number>): string[] {
  const problems: string[] = [];
  for (const [role, pid] of before)
    if (after.get(role) !== pid)
      problems.push(`${role} was pid ${pid}, now ${after.get(role) ?? 'gone'}: it exited`);
  return problems;
}

async function settle(db: Pool, prefix: string): Promise<Awaited<ReturnType<typeof accountProposals>>> {
  const { value } = await pollUntil(
    'every trade step terminal',
    async () => {
      const accounts = await accountProposals(db, prefix);
      const open = accounts.filter((a) => a.terminalSteps !== a.tradeSteps);
      return {
        done: open.length === 0,
        value: accounts,
        last: `${open.length} proposals with a step in flight`,
      };
    },
    { deadlineMs: SETTLE_DEADLINE_MS, intervalMs: 1_000 },
  ).catch(async () => ({ value: await accountProposals(db, prefix) }));
  return value;
}

/** Every proposal accounted for, every trade step terminal once, no client order id twice at the venue. */
async function checkTrades(options: {
  db: Pool;
  prefix: string;
  via: Via;
  submissions: Submissions;
  simulatorUrl: string;
}): Promise<string[]> {
  const { db, prefix, via, submissions } = options;
  const accounts = await settle(db, prefix);
  const approved = accounts.filter((a) => a.missions > 0).length;
  say(
    `[${via}] proposals: ${submissions.decided.size} decided (${approved} with a trade), ${submissions.failed} refused while the database was down`,
  );
  say(`[${via}] ${describeAccounts(accounts)}`);
  if (submissions.lastRefusal) say(`[${via}] the last refusal: ${submissions.lastRefusal}`);
  const problems = proposalProblems(submissions, accounts);
  if (approved === 0) problems.push('no proposal was approved: nothing was in flight');
  const journal = await simulatorJournal(options.simulatorUrl);
  const twice = duplicateOrders(journal);
  const unrecorded = unrecordedOrders(journal, await recordedOrderIds(db));
  say(
    `[${via}] simulator journal: ${journal.length} order submissions (${describeJournal(journal)}), ${twice.length} client order ids twice, ${unrecorded.length} not recorded by any step`,
  );
  problems.push(...twice.map((id) => `client order id ${id} reached the venue twice`));
  problems.push(...unrecorded.map((id) => `the venue received ${id}, which no step recorded`));
  return problems;
}

async function runSuite(via: Via, work: string, cleanup: CleanupStep[]): Promise<string[]> {
  const started = Date.now();
  const setup =
    via === 'direct' ? await startDirect(work, cleanup) : await startBehindPgbouncer(work, cleanup);
  const { company } = setup;
  say(
    `[${via}] atc up ready in ${seconds(Date.now() - started)}: ${company.admins.map((a) => `${a.role} :${a.port}`).join(', ')}`,
  );
  const roles = await databaseRoles(company.admins);
  await raiseTradeLimits(company, work);
  const pidsBefore = rolePids(company);
  let stopTrading: () => void = () => undefined;
  const tradingStopped = new Promise<void>((resolve) => (stopTrading = resolve));
  const prefix = `outage-${via}`;
  // Two operators submitting at once, so trades overlap and some are mid-flight when the database stops.
  const trading = ['a', 'b'].map((lane) =>
    submitSteadily({ company, directory: work, prefix: `${prefix}-${lane}`, until: tradingStopped }),
  );
  await new Promise((resolve) => setTimeout(resolve, TRADING_BEFORE_MS));
  const db = new Pool({ connectionString: setup.directUrl, max: 1, application_name: 'outage-e2e' });
  // The outage closes this pool's idle connection: expected, and no crash of this script.
  db.on('error', (error) => say(`[${via}] the accounting connection closed: ${error.message}`));
  cleanup.push(() => db.end());
  let figures: OutageFigures;
  try {
    say(`[${via}] trade steps in flight as the database stops: ${await tradesInFlight(db, prefix)}`);
    figures = await causeOutage(setup, roles);
    // Trading goes on after the return: proposals decided after it must run like any other.
    await new Promise((resolve) => setTimeout(resolve, TRADING_AFTER_MS));
  } finally {
    stopTrading();
  }
  const submissions = mergeSubmissions(await Promise.all(trading));
  const problems = judgeOutage(figures, roles, company.admins);
  problems.push(...comparePids(pidsBefore, rolePids(company)));
  problems.push(...(await checkTrades({ db, prefix, via, submissions, simulatorUrl: company.simulatorUrl })));
  if (problems.length) say(`[${via}] atc up's last lines:\n${company.tail(60)}`);
  return problems.map((problem) => `[${via}] ${problem}`);
}

function chosenModes(argv: readonly string[]): Via[] {
  const at = argv.indexOf('--via');
  if (at < 0) return ['direct', 'pgbouncer'];
  const via = argv[at + 1];
  if (via !== 'direct' && via !== 'pgbouncer') throw new Error('--via must be direct or pgbouncer');
  return [via];
}

async function main(): Promise<number> {
  const modes = chosenModes(process.argv.slice(2));
  buildAtcBundle(say);
  const problems: string[] = [];
  for (const via of modes) {
    const work = makeScratchDirectory(`atc-outage-${via}-`);
    const cleanup: CleanupStep[] = [() => rmSync(work, { recursive: true, force: true })];
    const onSignal = () => void runCleanup(cleanup).then(() => process.exit(130));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      problems.push(...(await runSuite(via, work, cleanup)));
    } catch (error) {
      problems.push(`[${via}] ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await runCleanup(cleanup);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
  for (const problem of problems) say(`FAIL ${problem}`);
  say(problems.length === 0 ? `PASS (${modes.join(', ')})` : `FAILED: ${problems.length} problems`);
  return problems.length === 0 ? 0 : 1;
}

void main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
