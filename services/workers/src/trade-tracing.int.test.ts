/**
 * One trade, one trace: a proposal taken in (its `proposal.intake` span), approved into a mission
 * and a step whose rows carry the intake's W3C traceparent, claimed by a worker runtime that starts
 * `step.execute` as a child of that stored context, and the executor's venue calls (`venue.request`)
 * inside it — against the real PostgreSQL and the simulator, with the spans kept in memory by the
 * tracing module's test hook. The context travels only through the database rows, exactly as it does
 * between the dashboard (or heartbeat) process and a worker process.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { systemClock } from '@atc/contracts';
import { silentLogger } from '@atc/platform';
import {
  createTestDatabase,
  startTestTracing,
  type TestDatabase,
  type TestTracing,
} from '@atc/platform/testing';
import { applySeeds, createTradeStepExecutor, submitProposal } from '@atc/trading';
import { insertTestMarks, tradeProposal } from '@atc/trading/testing';
import { WorkerRuntime, type StepOutcome } from '@atc/queue';
import {
  createMarketVenues,
  createVenueClients,
  loadVenuesConfig,
  PostgresSignatureStore,
  simulatorBaseUrls,
  type VenueClients,
} from '@atc/venues';
import { startSimulator, type RunningSimulator } from '@atc/simulator';
import { advanceSimulatorClock } from '@atc/simulator/testing';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

interface TracedRows {
  readonly proposal: string | null;
  readonly mission: string | null;
  readonly steps: (string | null)[];
}

describe('tracing one trade end to end (real PostgreSQL, the simulator, in-memory spans)', () => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let home: string;
  let clients: VenueClients;

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    sim = await startSimulator({ port: 0, seed: 17 });
    home = mkdtempSync(path.join(tmpdir(), 'atc-tracing-'));
    clients = createVenueClients({
      config: loadVenuesConfig({ ...simulatorBaseUrls(sim.url), ATC_HOME: home }, ['jupiter', 'solana']),
      logger: silentLogger(),
    });
  });
  afterAll(async () => {
    clients.shutdown();
    await sim.close();
    await db.drop();
    rmSync(home, { recursive: true, force: true });
  });

  async function rowsOf(proposalId: string): Promise<TracedRows> {
    const { rows } = await db.pool.query<{
      proposal: string | null;
      mission: string | null;
      step: string | null;
    }>(
      `select p.traceparent as proposal, m.traceparent as mission, s.traceparent as step
         from atc.proposals p join atc.missions m on m.proposal_id = p.id join atc.steps s on s.mission_id = m.id
        where p.id = $1::uuid order by s.seq`,
      [proposalId],
    );
    return { proposal: rows[0]!.proposal, mission: rows[0]!.mission, steps: rows.map((row) => row.step) };
  }

  /** Submits a crypto buy the gates approve, and runs a crypto worker until its one step settled. */
  async function tradeOnce(): Promise<{ proposalId: string; outcome: StepOutcome }> {
    await insertTestMarks(db.pool);
    const decision = await submitProposal(db.pool, tradeProposal(), { asOf: new Date() });
    expect(decision).toMatchObject({ status: 'approved' });
    const venue = createMarketVenues(clients, {
      signatureStore: new PostgresSignatureStore(db.pool),
      // The simulated chain moves one block each time the crypto venue waits for a confirmation.
      sleep: () => advanceSimulatorClock(sim.url, 1),
    }).crypto;
    const trade = createTradeStepExecutor({ clock: systemClock, pool: db.pool, venue, actor: 'test-worker' });
    let executed!: (outcome: StepOutcome) => void;
    const done = new Promise<StepOutcome>((resolve) => (executed = resolve));
    const runtime = new WorkerRuntime({
      pool: db.pool,
      market: 'crypto',
      workerId: 'trace-worker',
      kinds: ['execute_trade'],
      concurrency: 1,
      leaseMs: 30_000,
      leaseRenewIntervalMs: 10_000,
      pollIntervalMs: 50,
      executor: async (step, context) => {
        const outcome = await trade(step, context);
        executed(outcome);
        return outcome;
      },
      mayClaim: () => true,
      logger: silentLogger(),
    });
    runtime.start();
    const outcome = await done;
    await runtime.drain();
    return { proposalId: decision.proposalId, outcome };
  }

  describe('with tracing on', () => {
    let tracing: TestTracing;
    beforeAll(() => {
      tracing = startTestTracing({ pg });
    });
    afterAll(() => tracing.stop());

    let spans: ReadableSpan[];
    let rows: TracedRows;
    let outcome: StepOutcome;
    beforeAll(async () => {
      const traded = await tradeOnce();
      outcome = traded.outcome;
      spans = tracing.spans();
      rows = await rowsOf(traded.proposalId);
    });

    const named = (name: string) => spans.filter((span) => span.name === name);
    const childrenOf = (parent: ReadableSpan) =>
      spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

    it('fills the order', () => {
      expect(outcome).toEqual({ type: 'settled', status: 'succeeded' });
    });

    it('stores the intake span as the traceparent of the proposal, its mission and its step', () => {
      const [intake] = named('proposal.intake');
      const { traceId, spanId } = intake!.spanContext();
      expect(rows.proposal).toBe(`00-${traceId}-${spanId}-01`);
      expect(rows.mission).toBe(rows.proposal);
      expect(rows.steps).toEqual([rows.proposal]);
    });

    it('is one trace: proposal.intake → step.execute → venue.request, with pg spans inside', () => {
      const [intake] = named('proposal.intake');
      const [step] = named('step.execute');
      const venueCalls = named('venue.request');
      expect(intake).toBeDefined();
      expect(step).toBeDefined();
      expect(venueCalls.length).toBeGreaterThan(0);
      const traceId = intake!.spanContext().traceId;
      expect(intake!.parentSpanContext).toBeUndefined();
      expect(step!.spanContext().traceId).toBe(traceId);
      expect(step!.parentSpanContext?.spanId).toBe(intake!.spanContext().spanId);
      for (const call of venueCalls) {
        expect(call.spanContext().traceId).toBe(traceId);
        expect(call.parentSpanContext?.spanId).toBe(step!.spanContext().spanId);
      }
      expect(step!.attributes).toMatchObject({ 'atc.step.kind': 'execute_trade', 'atc.market': 'crypto' });
      // The intake's insert and the executor's intent and fill are pg spans under their spans.
      const pgUnder = (parent: ReadableSpan) =>
        childrenOf(parent).filter((span) => span.name.startsWith('pg.'));
      expect(pgUnder(intake!).length).toBeGreaterThan(0);
      expect(pgUnder(step!).length).toBeGreaterThan(0);
      expect(pgUnder(intake!).every((span) => span.spanContext().traceId === traceId)).toBe(true);
    });

    it('names the venue and endpoint of a call, never its URL', () => {
      const venueCalls = named('venue.request');
      expect(new Set(venueCalls.map((call) => call.attributes['atc.venue']))).toEqual(
        new Set(['jupiter', 'solana']),
      );
      for (const call of venueCalls) {
        expect(call.attributes['atc.venue.endpoint']).toEqual(expect.any(String));
        expect(JSON.stringify(call.attributes)).not.toContain(sim.url);
      }
    });

    it('refuses a malformed traceparent on every table that carries one', async () => {
      for (const table of ['proposals', 'missions', 'steps']) {
        for (const malformed of [
          'not-a-traceparent',
          `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`,
          `00-${'A'.repeat(32)}-${'1'.repeat(16)}-01`,
        ]) {
          await expect(
            db.pool.query(`update atc.${table} set traceparent = $1::text`, [malformed]),
          ).rejects.toMatchObject({ code: '23514' });
        }
      }
      expect(rows.proposal).toMatch(TRACEPARENT);
    });
  });

  describe('with tracing off', () => {
    it('stores null on the rows, and the same trade runs', async () => {
      const { proposalId, outcome } = await tradeOnce();
      expect(outcome).toEqual({ type: 'settled', status: 'succeeded' });
      expect(await rowsOf(proposalId)).toEqual({ proposal: null, mission: null, steps: [null] });
    });
  });
});
