/**
 * `npm run soak -- --minutes N` (docs/operations/soak.md): `atc up --fresh` with steady simulated
 * trading for N minutes, every role's RSS, heap used, event-loop delay p99, active handles and
 * PostgreSQL connections sampled each 10 s into `<out>/soak.csv` and `<out>/soak.html`, and a leak
 * verdict per role (least-squares heap slope per hour with its 95 % interval) in `<out>/verdict.json`
 * and on stdout. Exit 0: no leak; 1: a leak suspected or the soak failed.
 * @module
 */
import { appendFileSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import path from 'node:path';
import { Pool } from 'pg';
import { makeScratchDirectory } from '@atc/platform';
import { chooseCompanyPorts, LocalCompany } from '../monitoring/local-company';
import { soakReportHtml, type RoleVerdict } from './soak-chart';
import { TradingLoad } from './soak-load';
import { marketHoursStart, parseSoakOptions, type SoakOptions } from './soak-options';
import { csvHeader, csvLine, type SoakSample } from './soak-sample';
import { sampleRoles, type SampledRole } from './soak-sampler';
import { roleVerdicts } from './soak-verdicts';
import { buildAtcBundle } from '../monitoring/build-bundle';

const REPO_ROOT = path.resolve(__dirname, '../..');
/**
 * The soak runs its own copy of the bundle (under dist/, so node_modules and migrations/ resolve as
 * from dist/atc.cjs): CI rebuilds dist/atc.cjs while a background soak runs, and `atc up` re-reads
 * its bundle whenever it restarts a role.
 */
const SOAK_BUNDLE = path.join(REPO_ROOT, 'dist', 'soak', 'atc.cjs');
const MIB = 1024 * 1024;

function say(text: string): void {
  process.stdout.write(`soak: ${text}\n`);
}

function buildBundle(): void {
  const bundle = buildAtcBundle(say);
  mkdirSync(path.dirname(SOAK_BUNDLE), { recursive: true });
  copyFileSync(bundle, SOAK_BUNDLE);
}

function printVerdicts(results: readonly RoleVerdict[]): void {
  for (const { role, verdict, missing, series } of results) {
    if (!verdict) {
      say(`  ${role.padEnd(18)} no verdict: ${missing}`);
      continue;
    }
    const mib = (bytes: number) => (bytes / MIB).toFixed(2);
    say(
      `  ${role.padEnd(18)} heap ${(series ?? '').padEnd(8)} ${mib(verdict.slope).padStart(7)} MiB/h, 95 % CI [${mib(verdict.low)}, ${mib(verdict.high)}], ` +
        `${verdict.samples} samples: ${verdict.verdict.toUpperCase()} (${verdict.why})`,
    );
  }
}

interface SoakRun {
  readonly roles: readonly SampledRole[];
  readonly db: Pool | undefined;
  readonly load: TradingLoad | undefined;
}

/** Samples for the minutes, then writes the chart and the verdicts and prints them; the exit code. */
async function soakAndJudge(run: SoakRun, options: SoakOptions, stopping: AbortSignal): Promise<number> {
  const out = path.resolve(options.out);
  mkdirSync(out, { recursive: true });
  run.load?.start();
  const samples = await sampleFor(options, run, out, stopping);
  await run.load?.stop();
  if (run.load) say(`proposals: ${run.load.summary()}`);
  const results = roleVerdicts(samples, options);
  const title = `atc soak: ${options.minutes} min, ${samples.length} samples, started ${samples[0]?.time ?? '—'}`;
  const thresholdBytesPerHour = options.thresholdMibPerHour * MIB;
  writeFileSync(
    path.join(out, 'soak.html'),
    soakReportHtml({ title, samples, verdicts: results, thresholdBytesPerHour }),
  );
  const proposals = run.load ? Object.fromEntries(run.load.outcomes) : {};
  writeFileSync(
    path.join(out, 'verdict.json'),
    `${JSON.stringify({ options, proposals, roles: results }, null, 2)}\n`,
  );
  say(
    `verdict (heap after the first ${Number(options.warmupMinutes.toFixed(2))} min; threshold ${options.thresholdMibPerHour} MiB/h):`,
  );
  printVerdicts(results);
  say(`wrote ${path.join(out, 'soak.csv')}, soak.html and verdict.json`);
  const suspected = results.filter((r) => r.verdict?.verdict === 'leak suspected').map((r) => r.role);
  const unjudged = results.filter((r) => !r.verdict).map((r) => r.role);
  if (unjudged.length > 0) say(`FAILED: no verdict for ${unjudged.join(', ')}`);
  if (suspected.length > 0) say(`LEAK SUSPECTED in ${suspected.join(', ')}`);
  else if (unjudged.length === 0) say('NO LEAK');
  return suspected.length > 0 || unjudged.length > 0 ? 1 : 0;
}

/**
 * The default limits stop a steady load within minutes (daily trades, total exposure, analyses): in
 * this throw-away company they are raised so approved trades keep reaching the worker and the
 * simulator for the whole soak. Through `atc policy set`, as an operator would.
 */
async function raiseLimits(company: LocalCompany, work: string): Promise<void> {
  const changes: Record<string, Record<string, unknown>> = {
    trade_limits: { maxDailyTrades: 10_000, maxOpenPositions: 1_000, maxTotalExposureUsd: '1000000' },
    quotas: { maxDailyAnalyses: 100_000 },
  };
  for (const [key, change] of Object.entries(changes)) {
    const current = await company.atc(['policy', 'get', key, '--json']);
    if (current.code !== 0) throw new Error(`atc policy get ${key} failed: ${current.stderr}`);
    const { value } = JSON.parse(current.stdout) as { value: Record<string, unknown> };
    const file = path.join(work, `${key}.json`);
    writeFileSync(file, JSON.stringify({ ...value, ...change }));
    const set = await company.atc(['policy', 'set', key, '-f', file]);
    if (set.code !== 0) throw new Error(`atc policy set ${key} failed: ${set.stderr}`);
  }
}

/** `atc up --fresh` of its own, with the simulator's clock in market hours and steady proposals. */
async function soakLocal(options: SoakOptions, stopping: AbortSignal): Promise<number> {
  const work = makeScratchDirectory('atc-soak-');
  buildBundle();
  const ports = await chooseCompanyPorts();
  const simStart = marketHoursStart(new Date());
  say(`starting atc up --fresh (SIM_START_TIME ${simStart}, dashboard :${ports.dashboard})`);
  const company = await LocalCompany.start({
    bundle: SOAK_BUNDLE,
    home: path.join(work, '.atc'),
    ports,
    settings: { SIM_START_TIME: simStart, HEARTBEAT_INTERVAL_SECONDS: '10', LOG_LEVEL: 'warn' },
  });
  const db = new Pool({ connectionString: company.databaseUrl, max: 1, application_name: 'soak-sampler' });
  try {
    const key = await company.atc(['apikey', 'create', '--name', 'soak', '--role', 'operator']);
    if (key.code !== 0) throw new Error(`atc apikey create failed: ${key.stderr}`);
    await raiseLimits(company, work);
    const load = new TradingLoad({
      dashboardUrl: `http://127.0.0.1:${ports.dashboard}`,
      apiKey: key.stdout.trim(),
      intervalMs: options.proposalSeconds * 1000,
      runId: String(Date.now()),
    });
    const roles = company.admins.map(({ role, port }) => ({
      role,
      metricsUrl: `http://127.0.0.1:${port}/metrics`,
    }));
    return await soakAndJudge({ roles, db, load }, options, stopping);
  } catch (error) {
    say(`atc up's last lines:\n${company.tail()}`);
    throw error;
  } finally {
    await db.end();
    await company.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** A running deployment (docs/operations/soak.md, the 24-hour staging run): its /metrics through port-forwards. */
async function soakAttached(
  attach: NonNullable<SoakOptions['attach']>,
  options: SoakOptions,
  stopping: AbortSignal,
): Promise<number> {
  const db = attach.databaseUrl
    ? new Pool({ connectionString: attach.databaseUrl, max: 1, application_name: 'soak-sampler' })
    : undefined;
  // A script's edge: the key is read here, never taken on the command line (it would show in `ps`).
  const apiKey = process.env['ATC_API_KEY'];
  const load =
    attach.dashboardUrl && apiKey
      ? new TradingLoad({
          dashboardUrl: attach.dashboardUrl,
          apiKey,
          intervalMs: options.proposalSeconds * 1000,
          runId: String(Date.now()),
        })
      : undefined;
  say(
    `sampling ${attach.roles.map((r) => r.role).join(', ')}${load ? ', submitting proposals' : ', adding no load'}`,
  );
  try {
    return await soakAndJudge({ roles: attach.roles, db, load }, options, stopping);
  } finally {
    await db?.end();
  }
}

/** Samples every `sampleSeconds` until the minutes are up (or a signal), appending to the CSV as it goes. */
async function sampleFor(
  options: SoakOptions,
  run: SoakRun,
  out: string,
  stopping: AbortSignal,
): Promise<SoakSample[]> {
  const csv = path.join(out, 'soak.csv');
  writeFileSync(csv, csvHeader());
  const startedAt = Date.now();
  const endsAt = startedAt + options.minutes * 60_000;
  const samples: SoakSample[] = [];
  for (let tick = 0; !stopping.aborted; tick += 1) {
    const batch = await sampleRoles({ roles: run.roles, db: run.db, startedAt });
    samples.push(...batch);
    appendFileSync(csv, batch.map(csvLine).join(''));
    if (tick % 6 === 0) {
      const heaps = batch.map(
        (s) => `${s.role} ${s.heapUsedBytes === undefined ? '—' : (s.heapUsedBytes / MIB).toFixed(0)}`,
      );
      say(`${Math.round((Date.now() - startedAt) / 60_000)} min: heap MiB ${heaps.join(', ')}`);
    }
    const next = startedAt + (tick + 1) * options.sampleSeconds * 1000;
    if (next > endsAt) break;
    // The sampling cadence itself, not a wait for something to happen: nothing can notify a sample time.
    await delay(Math.max(0, next - Date.now()), undefined, { signal: stopping }).catch(() => undefined);
  }
  return samples;
}

if (require.main === module) {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: judging the samples so far and stopping everything this run started`);
      controller.abort();
    });
  }
  let options: SoakOptions;
  try {
    options = parseSoakOptions(process.argv.slice(2));
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  void (
    options.attach
      ? soakAttached(options.attach, options, controller.signal)
      : soakLocal(options, controller.signal)
  )
    .catch((error: unknown) => {
      say(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    })
    .then((code) => process.exit(code));
}
