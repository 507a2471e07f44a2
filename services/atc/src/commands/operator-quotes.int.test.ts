import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Decimal from 'decimal.js';
import { makeScratchDirectory } from '@atc/platform';
import {
  bundleForTest,
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runNode,
  type TestDatabase,
} from '@atc/platform/testing';
import { createVenueClients, loadVenuesConfig, type TradierOption } from '@atc/venues';
import { startSimulator, type RunningSimulator } from '@atc/simulator';
import { localSimulatorBaseUrls } from '../local-state';
import { readmeProposalExamples } from '../testing/readme-proposals';

// An operator's proposal is priced from the venue's quote for the instrument, like the heartbeat's
// own entries: an option contract nobody samples is admitted at its ask, with no mark anywhere.
// Without the venue it falls back to marks, says so in one line, and (with no mark) is rejected.
describe('atc proposal submit | approve quote the venue', () => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let bundle: string;
  let scratch: string;
  let contract: TradierOption;

  beforeAll(async () => {
    db = await createTestDatabase();
    scratch = makeScratchDirectory('atc-operator-quotes-');
    bundle = await bundleForTest(path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts'), REPOSITORY_ROOT);
    // A fixed weekday instant in every market's session (never today's clock), and no ticking:
    // one chain and one set of prices whatever the date the test runs on.
    sim = await startSimulator({ seed: 7, port: 0, startTimeMs: Date.parse('2026-12-16T15:00:00Z') });
    contract = await affordableCall(sim.port);
  }, 120_000);
  afterAll(async () => {
    await sim.close();
    await db.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function atcOn(database: TestDatabase, ...args: string[]) {
    const env = childEnvironment({
      DATABASE_URL: database.url,
      ATC_HOME: path.join(scratch, 'home'),
      LOG_LEVEL: 'warn',
      ...localSimulatorBaseUrls(sim.port),
    });
    const run = runNode([bundle, ...args], env);
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  }
  const atc = (...args: string[]) => atcOn(db, ...args);
  const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

  function proposalFile(traceId: string): string {
    const ask = new Decimal(contract.ask ?? 0);
    const file = path.join(scratch, `${traceId}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        source: 'operator',
        sourceTraceId: traceId,
        agent: 'atlas',
        title: `Buy one ${contract.symbol}`,
        rationale: 'a contract the heartbeat does not sample',
        confidence: 0.8,
        steps: [
          {
            kind: 'execute_trade',
            market: 'options',
            trade: {
              market: 'options',
              underlying: 'SPY',
              occSymbol: contract.symbol,
              side: 'buy_to_open',
              quantity: 1,
              orderType: 'limit',
              limitPrice: ask.toString(),
              stopLoss: ask.div(2).toDecimalPlaces(2, Decimal.ROUND_DOWN).toString(),
            },
          },
        ],
      }),
    );
    return file;
  }

  it('admits an unsampled option contract priced from the venue quote, and approves it', async () => {
    expect((await atc('seed', '--json')).code).toBe(0);
    const marks = await db.pool.query('select count(*)::int as n from atc.price_samples');
    expect(marks.rows[0]).toEqual({ n: 0 });

    const submitted = await atc('proposal', 'submit', '-f', proposalFile('quoted-1'), '--json');
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    const decision = json(submitted.stdout);
    expect(decision).toMatchObject({ status: 'awaiting_approval', reasonCode: null });

    const explained = await atc('proposal', 'explain', String(decision.proposalId), '--json');
    expect(json(explained.stdout)).toMatchObject({
      entries: [
        {
          market: 'options',
          instrument: contract.symbol,
          quantity: '1',
          price: String(contract.ask),
          priceSource: 'venue_quote',
          notionalUsd: new Decimal(contract.ask ?? 0).times(100).toFixed(2),
        },
      ],
    });

    // The approval re-runs the gates, quoting the venue again.
    const approved = await atc('proposal', 'approve', String(decision.proposalId), '--json');
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(json(approved.stdout)).toMatchObject({ status: 'approved', reasonCode: null });
  }, 120_000);

  it("admits the README's three examples from venue quotes, with no marks", async () => {
    // Its own database: the examples fill the default limits (3 open positions) by themselves.
    const readmeDb = await createTestDatabase();
    try {
      expect((await atcOn(readmeDb, 'seed', '--json')).code).toBe(0);
      for (const [index, example] of readmeProposalExamples().entries()) {
        const file = path.join(scratch, `readme-${index}.json`);
        writeFileSync(file, JSON.stringify(example));
        const submitted = await atcOn(readmeDb, 'proposal', 'submit', '-f', file, '--json');
        expect([index, submitted.stderr]).toEqual([index, '']);
        const decision = json(submitted.stdout);
        expect([index, decision.reasonCode]).toEqual([index, null]);
        const explained = await atcOn(readmeDb, 'proposal', 'explain', String(decision.proposalId), '--json');
        const { entries } = json(explained.stdout) as { entries: { priceSource: string }[] };
        expect(entries.map((e) => e.priceSource)).toEqual(['venue_quote']);
      }
    } finally {
      await readmeDb.drop();
    }
  }, 120_000);

  it('without the venue, warns in one line and rejects the entry price_unavailable', async () => {
    await sim.close();
    const submitted = await atc('proposal', 'submit', '-f', proposalFile('quoted-2'), '--json');
    // A rejection is the command's answer (exit 0, README "Exit codes"), not a failure.
    expect(submitted.code).toBe(0);
    expect(json(submitted.stdout)).toMatchObject({ status: 'rejected', reasonCode: 'price_unavailable' });
    const lines = submitted.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`no venue quote for options ${contract.symbol}`);
    expect(lines[0]).toMatch(/pricing it from the latest mark/);
    expect(submitted.stderr).not.toMatch(/\n\s+at /);
    expect(submitted.stderr).not.toMatch(/"stack"/);
  }, 120_000);
});

/** A SPY call from the simulator's chain whose premium × 100 fits the default 60 USD limit. */
async function affordableCall(port: number): Promise<TradierOption> {
  const clients = createVenueClients({ config: loadVenuesConfig(localSimulatorBaseUrls(port)) });
  try {
    const expirations = await clients.tradier.getExpirations('SPY');
    for (const expiration of expirations.reverse()) {
      const chain = await clients.tradier.getChain('SPY', expiration, false);
      const fits = chain.find(
        (o) =>
          o.option_type === 'call' && o.ask !== null && o.ask >= 0.1 && o.ask <= 0.55 && (o.bid ?? 0) > 0,
      );
      if (fits) return fits;
    }
    throw new Error('the simulator lists no SPY call with an ask between 0.10 and 0.55');
  } finally {
    clients.shutdown();
  }
}
