/**
 * `npm run bench:decision`: against a running `atc up` with auto-approval, proposals submitted through
 * `POST /api/proposals` at BENCH_PROPOSALS_PER_SECOND (5) for BENCH_DURATION_SECONDS (60), rotating over
 * the markets; each is timed from its request to its venue order accepted at the simulator
 * (`/_sim/orders`). Prints p50 / p99 by market and accounts for every proposal. Goal: p99 < 100 ms.
 * @module
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { ATC_VERSION, createLogger } from '@atc/platform';
import { getPolicy, readPolicySnapshot, setPolicy } from '@atc/trading';
import { createApiKey } from '../scripts/api-seams';
import { readBenchConfig, readLocalCompany, type BenchConfig } from './bench.config';
import { selectBenchProposals, type BenchProposalRow } from './decision-bench.queries';
import {
  OPTION_LIMIT_HEADROOM_BPS,
  optionLimitSymbols,
  proposalTemplates,
  withMarketableOptionLimits,
  type ProposalTemplate,
} from './decision-proposals';
import { reportDecisions, type Submission } from './decision-report';
import { SimJournalWatcher } from './sim-journal-watcher';

const logger = createLogger({
  service: 'decision-bench',
  version: ATC_VERSION,
  level: 'warn',
  format: 'pretty',
});

function write(line = ''): void {
  process.stdout.write(`${line}\n`);
}

async function submit(
  url: string,
  key: string,
  template: ProposalTemplate,
  traceId: string,
): Promise<Submission> {
  const sentAt = performance.now();
  try {
    const response = await fetch(`${url}/api/proposals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...template.body, sourceTraceId: traceId }),
    });
    const detail = response.ok ? '' : (await response.text()).slice(0, 200);
    return { traceId, market: template.market, sentAt, status: response.status, detail };
  } catch (error) {
    return { traceId, market: template.market, sentAt, status: 0, detail: String(error) };
  }
}

/** Submits on a fixed schedule (not an interval, so a slow answer does not delay the next send). */
async function submitAll(
  config: BenchConfig,
  price: (template: ProposalTemplate) => Promise<ProposalTemplate>,
  url: string,
  key: string,
  seconds: number,
): Promise<Submission[]> {
  const templates = proposalTemplates(config.BENCH_PROPOSALS_FILE);
  const count = config.BENCH_PROPOSALS_PER_SECOND * seconds;
  const run = Date.now().toString(36);
  const start = performance.now();
  const pending: Promise<Submission>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / config.BENCH_PROPOSALS_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const traceId = `bench-decision-${run}-${i}`;
    pending.push(price(templates[i % templates.length]!).then((priced) => submit(url, key, priced, traceId)));
  }
  return Promise.all(pending);
}

/**
 * With BENCH_RAISE_LIMITS=1, the trade limits and the auto-approval ceiling are raised for the run
 * (audited, by `bench:decision`) so that every proposal of the load — a futures contract's notional
 * included — is auto-approved and reaches a venue; both are put back afterwards. Returns the undo.
 */
async function raiseLimits(pool: Pool): Promise<() => Promise<void>> {
  const raised: Record<string, (value: Record<string, unknown>) => Record<string, unknown>> = {
    trade_limits: (value) => ({
      ...value,
      maxDailyTrades: 10_000,
      maxOpenPositions: 1_000,
      maxPositionSizeUsd: '1000000',
      maxTotalExposureUsd: '100000000',
      maxDailyLossUsd: '1000000',
    }),
    approval: (value) => ({
      ...value,
      autoApproveTrades: {
        ...(value.autoApproveTrades as Record<string, unknown>),
        maxNotionalUsd: '1000000',
      },
    }),
  };
  const before = new Map<string, unknown>();
  for (const [key, raise] of Object.entries(raised)) {
    const { value } = await getPolicy(pool, key);
    before.set(key, value);
    await setPolicy(pool, { key, value: raise(value as Record<string, unknown>), by: 'bench:decision' });
  }
  write('trade limits and auto-approval raised for the run (BENCH_RAISE_LIMITS=1); put back at the end');
  return async () => {
    for (const [key, value] of before) await setPolicy(pool, { key, value, by: 'bench:decision' });
  };
}

/** Whether every accepted submission has an order past `intent` or a final status without one. */
function settled(rows: readonly BenchProposalRow[], accepted: readonly Submission[]): boolean {
  // An order still at `intent` is being sent (a crypto swap is known by its signature only once sent).
  const done = rows.filter(
    (row) =>
      row.orders.some((order) => order.status !== 'intent') || ['rejected', 'expired'].includes(row.status),
  );
  return done.length >= accepted.length;
}

/**
 * Prices a template just before it is sent (not timed: the request's clock starts after): the
 * built-in options proposal gets a limit at the simulated Tradier's current ask plus headroom, so it
 * is marketable. A file's templates are submitted as written.
 */
function templatePricer(
  config: BenchConfig,
  simulatorUrl: string,
): (template: ProposalTemplate) => Promise<ProposalTemplate> {
  return async (template) => {
    const symbols = optionLimitSymbols([template]);
    if (config.BENCH_PROPOSALS_FILE !== undefined || symbols.length === 0) return template;
    const response = await fetch(
      `${simulatorUrl}/tradier/v1/markets/quotes?symbols=${encodeURIComponent(symbols.join(','))}`,
      { headers: { authorization: 'Bearer bench-decision', accept: 'application/json' } },
    );
    if (!response.ok) throw new Error(`the simulator's Tradier quotes answered ${response.status}`);
    const body = (await response.json()) as { quotes?: { quote?: QuoteRow | QuoteRow[] } };
    const rows = [body.quotes?.quote ?? []].flat();
    return withMarketableOptionLimits(
      [template],
      Object.fromEntries(rows.map((row) => [row.symbol, String(row.ask)])),
    )[0]!;
  };
}

interface QuoteRow {
  readonly symbol: string;
  readonly ask: number | string;
}

async function main(): Promise<void> {
  const config = readBenchConfig();
  const seconds = config.BENCH_DURATION_SECONDS ?? 60;
  const company = readLocalCompany(config);
  if (!company.simulatorUrl)
    throw new Error('`atc up` runs no venue simulator (venue URLs set): nothing to time');
  const pool = new Pool({ connectionString: company.databaseUrl, max: 2 });
  const watcher = new SimJournalWatcher(company.simulatorUrl, config.BENCH_POLL_MS);
  let stopped = false;
  let restoreLimits: (() => Promise<void>) | undefined;
  try {
    if (config.BENCH_RAISE_LIMITS === '1') restoreLimits = await raiseLimits(pool);
    const { approval } = await readPolicySnapshot(pool);
    if (!approval.autoApproveTrades.enabled) {
      throw new Error(
        'the approval policy does not auto-approve trades: set approval.autoApproveTrades.enabled',
      );
    }
    write(
      `auto-approval up to ${approval.autoApproveTrades.maxNotionalUsd} USD at confidence ≥ ` +
        `${approval.autoApproveTrades.minConfidence}; ${config.BENCH_PROPOSALS_PER_SECOND}/s for ${seconds} s; ` +
        `journal read every ${config.BENCH_POLL_MS} ms (the resolution of each figure)`,
    );
    const key = await createApiKey(pool, {
      name: `bench-decision-${Date.now()}`,
      role: 'operator',
      expiresAt: new Date(Date.now() + 3_600_000),
      actor: 'bench:decision',
    });
    await watcher.start();
    write(
      `options limit at the venue's ask + ${Number(OPTION_LIMIT_HEADROOM_BPS) / 100} %, quoted before each send`,
    );
    const price = templatePricer(config, company.simulatorUrl);
    const submissions = await submitAll(config, price, company.dashboardUrl, key, seconds);
    const accepted = submissions.filter((s) => s.status >= 200 && s.status < 300);
    const ids = submissions.map((s) => s.traceId);
    const deadline = performance.now() + config.BENCH_SETTLE_SECONDS * 1000;
    let rows = await selectBenchProposals(pool, ids);
    while (!settled(rows, accepted) && performance.now() < deadline) {
      await sleep(250);
      rows = await selectBenchProposals(pool, ids);
    }
    await watcher.stop();
    stopped = true;
    reportDecisions({ submissions, rows, seen: watcher.accepted, write });
  } finally {
    if (!stopped) await watcher.stop().catch(() => undefined); // the first error is the one to report
    await restoreLimits?.();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'decision benchmark failed');
  process.exit(1);
});
