/**
 * A heartbeat run is a span (`heartbeat.run`, each phase a `heartbeat.phase` under it), and a proposal
 * a phase takes in (as evaluate_triggers does, through submitProposalIn in the phase's transaction)
 * is an intake span in that trace: the traceparent stored on its rows names it, so the worker that
 * runs the steps continues the heartbeat's trace.
 * @module
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { silentLogger, withTransaction } from '@atc/platform';
import {
  createTestDatabase,
  startTestTracing,
  type TestDatabase,
  type TestTracing,
} from '@atc/platform/testing';
import { applySeeds, submitProposalIn } from '@atc/trading';
import { analysisProposal } from '@atc/trading/testing';
import type { HeartbeatPhase } from './phases/heartbeat-phase';
import { runHeartbeat } from './heartbeat-runner';

describe('heartbeat tracing', () => {
  let db: TestDatabase;
  let tracing: TestTracing;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    tracing = startTestTracing({ pg });
  });
  afterAll(async () => {
    await tracing.stop();
    await db.drop();
  });

  const proposing: HeartbeatPhase = {
    name: 'evaluate_triggers',
    async run(context) {
      const decision = await withTransaction(context.pool, (client) =>
        submitProposalIn(client, analysisProposal(), { asOf: context.now }),
      );
      return { summary: { proposalId: decision.proposalId } };
    },
  };

  it('the run, its phase and the proposal the phase takes in are one trace; the rows name the intake span', async () => {
    const outcome = await runHeartbeat({
      pool: db.pool,
      leasePool: db.pool,
      phaseApplicationName: `atc-heartbeat-tracing-${randomBytes(4).toString('hex')}`,
      phases: [proposing],
      settings: {
        timeoutMs: 30_000,
        phaseBudgetMs: 5_000,
        phaseBudgetsMs: {},
        leaseTtlMs: 15_000,
        cancelGraceMs: 1_000,
      },
      owner: 'test:tracing',
      logger: silentLogger(),
      marketData: { quote: () => Promise.reject(new Error('no market data in this test')) },
      venues: {},
    });
    expect(outcome).toMatchObject({ kind: 'ran', status: 'success' });
    const spans = tracing.spans();
    const [run] = spans.filter((span) => span.name === 'heartbeat.run');
    const [phase] = spans.filter((span) => span.name === 'heartbeat.phase');
    const [intake] = spans.filter((span) => span.name === 'proposal.intake');
    const traceId = run!.spanContext().traceId;
    expect(run!.attributes).toMatchObject({ 'atc.heartbeat.outcome': 'success' });
    expect(phase!.attributes).toMatchObject({ 'atc.heartbeat.phase': 'evaluate_triggers' });
    expect(phase!.parentSpanContext?.spanId).toBe(run!.spanContext().spanId);
    expect(intake!.parentSpanContext?.spanId).toBe(phase!.spanContext().spanId);
    expect(intake!.spanContext().traceId).toBe(traceId);

    const { rows } = await db.pool.query<{ proposal: string; mission: string; step: string }>(
      `select p.traceparent as proposal, m.traceparent as mission, s.traceparent as step
         from atc.proposals p join atc.missions m on m.proposal_id = p.id join atc.steps s on s.mission_id = m.id`,
    );
    const stored = `00-${traceId}-${intake!.spanContext().spanId}-01`;
    expect(rows).toEqual([{ proposal: stored, mission: stored, step: stored }]);
  });
});
