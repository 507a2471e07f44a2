/**
 * The whole loop, end to end, at fixed simulated instants (never today's date): from an empty
 * (seeded) database, the simulator started at the instant, the three market workers and the real
 * heartbeat whose clock is the simulator's. Each run is 5 simulated minutes after the one before.
 * A scenario stops when every market open at its instant has been through signal → proposal →
 * review → mission → step → order → fill → position → close → outcome → lesson memory; every market
 * closed throughout is reported closed by every run and never trades.
 * @module
 */
import { describeSession, marketSession, type Market } from '@atc/contracts';
import { verifyAuditChain } from '@atc/trading';
import { unaccountedStepChanges } from '@atc/queue/testing';
import { MARKETS, startLocalCompany, type LocalCompany } from './testing/local-company.fixture';

interface Scenario {
  readonly name: string;
  readonly at: string;
  /** The markets open at `at` (the calendar is checked against this, independently written). */
  readonly open: readonly Market[];
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'a weekday in market hours', at: '2026-12-16T15:00:00Z', open: ['crypto', 'options', 'futures'] },
  // 07:00 New York: options open at 09:30, 30 runs later; Globex trades overnight.
  { name: 'the same weekday before the open', at: '2026-12-16T12:00:00Z', open: ['crypto', 'futures'] },
  { name: 'a weekend', at: '2026-12-19T15:00:00Z', open: ['crypto'] },
  // The third Friday of December: monthly options and the Z26 futures expire; the scan buys Monday's.
  { name: 'an expiry Friday', at: '2026-12-18T15:00:00Z', open: ['crypto', 'options', 'futures'] },
  // Thanksgiving, 10:00 New York: the NYSE is closed; Globex trades until its 13:00 holiday halt.
  { name: 'a market holiday', at: '2026-11-26T15:00:00Z', open: ['crypto', 'futures'] },
];

const RUN_EVERY_TICKS = 300;
const MAX_RUNS = 30;
const SCENARIO_TIMEOUT_MS = 90_000;

const openAt = (at: Date) => MARKETS.filter((market) => marketSession(market, at).open);

async function completedMarkets(company: LocalCompany): Promise<Market[]> {
  const rows = await company.db.pool.query<{ market: Market }>(
    `select distinct o.market from atc.outcomes o
       join atc.memories m on m.source_trace_id = o.id::text and m.type = 'lesson'`,
  );
  return rows.rows.map((r) => r.market).sort();
}

async function eventTypesOf(company: LocalCompany, market: Market): Promise<Set<string>> {
  const chain = await company.db.pool.query<{ type: string }>(
    `select distinct type from atc.events where market = $1::text or market is null`,
    [market],
  );
  return new Set(chain.rows.map((r) => r.type));
}

const CHAIN = [
  'signal_detected',
  'proposal_decided',
  'mission_created',
  'steps_status_changed',
  'order_created',
  'fill_recorded',
  'position_changed',
  'outcome_recorded',
  'memory_created',
];

describe('end to end: signal to lesson in every open market, at fixed simulated instants', () => {
  it.each(SCENARIOS)(
    '$name ($at): the open markets trade, the closed ones are reported closed',
    async (scenario) => {
      const start = new Date(scenario.at);
      expect(openAt(start)).toEqual(scenario.open);
      const expected = [...scenario.open].sort();
      const company = await startLocalCompany(start);
      const closedThroughout = new Set(MARKETS.filter((m) => !scenario.open.includes(m)));
      try {
        let runs = 0;
        while (runs < MAX_RUNS && (await completedMarkets(company)).length < expected.length) {
          const { at, outcome } = await company.heartbeat(runs + 1);
          if (outcome.kind !== 'ran') throw new Error('the heartbeat run was skipped');
          expect(outcome.status).toBe('success');
          // The run reports every market closed at its instant, with why.
          const closed = MARKETS.map((m) => marketSession(m, at)).filter((s) => !s.open);
          const triggers = outcome.phases.find((p) => p.name === 'evaluate_triggers');
          expect(triggers?.summary?.closedMarkets).toBe(
            closed.map((s) => `${s.market}: ${describeSession(s)}`).join(', '),
          );
          for (const market of MARKETS) if (marketSession(market, at).open) closedThroughout.delete(market);
          await company.settled(20_000);
          company.sim.context.clock.advance(RUN_EVERY_TICKS);
          runs += 1;
        }
        // The scenario stayed within its instant's sessions: what was closed at the start stayed closed.
        expect([...closedThroughout].sort()).toEqual(
          MARKETS.filter((m) => !scenario.open.includes(m)).sort(),
        );
        expect(await completedMarkets(company)).toEqual(expected);
        for (const market of scenario.open) {
          const types = await eventTypesOf(company, market);
          for (const type of CHAIN) expect([market, type, types.has(type)]).toEqual([market, type, true]);
        }
        // A closed market: no entry proposed, no order sent, no position.
        const closedMarkets = [...closedThroughout];
        const traded = await company.db.pool.query<{ market: string }>(
          `select market from atc.events
            where market = any($1::text[]) and type in ('signal_detected', 'order_created', 'position_changed')`,
          [closedMarkets],
        );
        expect(traded.rows).toEqual([]);
        expect(await verifyAuditChain(company.db.pool)).toMatchObject({ ok: true });
        // Every step change of the whole run has its one entry in a steps_status_changed event, and
        // every mission is what the SQL rule makes of its steps.
        expect(await unaccountedStepChanges(company.db.pool)).toEqual([]);
        process.stdout.write(
          `e2e ${scenario.name}: ${expected.join(', ')} traded to a lesson in ${runs} runs\n`,
        );
      } finally {
        await company.close();
      }
    },
    SCENARIO_TIMEOUT_MS,
  );
});
