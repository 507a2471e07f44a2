import { randomUUID } from 'node:crypto';
import { silentLogger, type Queryable } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { systemClock, type Agent } from '@atc/contracts';
import { applySeeds } from '@atc/trading';
import { WorkerRuntime, type ClaimedStep } from '@atc/queue';
import { insertQueuedSteps } from '@atc/trading/testing';
import { DatabaseChanges } from '@atc/queue/testing';
import { AGENT_STEP_KINDS, createAgentStepExecutor } from './agent-step.executor';
import { createRulesVoice } from './voices/rules-voice';

const now = new Date('2031-05-06T15:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

/** A market-less step of a mission whose proposal is `agent`'s; returns it as a claim would. */
async function agentStep(
  db: Queryable,
  agent: Agent,
  payload: { kind: string } & Record<string, unknown>,
): Promise<ClaimedStep> {
  const proposal = await db.query<{ id: string }>(
    `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash, status)
     values ('agent', $1::text, $2::text, 'agent work', 0.9, '{}'::jsonb, repeat('0', 64), 'approved') returning id`,
    [`fixture-${randomUUID()}`, agent],
  );
  const mission = await db.query<{ id: string }>(
    `insert into atc.missions (proposal_id, title) values ($1::uuid, 'agent work') returning id`,
    [proposal.rows[0]!.id],
  );
  const step = await db.query<{ id: string }>(
    `insert into atc.steps (mission_id, seq, kind, market, payload) values ($1::uuid, 0, $2::text, null, $3::jsonb) returning id`,
    [mission.rows[0]!.id, payload.kind, JSON.stringify(payload)],
  );
  return {
    id: step.rows[0]!.id,
    missionId: mission.rows[0]!.id,
    kind: payload.kind as ClaimedStep['kind'],
    market: null,
    attempt: 1,
    maxAttempts: 3,
    payload,
    leaseOwner: 'test',
    leaseExpiresAt: now,
  };
}

const context = {
  lease: { stepId: '', workerId: 'test', attempt: 1 },
  signal: new AbortController().signal,
  logger: silentLogger(),
};

describe('roundtable worker executors (real PostgreSQL)', () => {
  let db: TestDatabase;
  let execute: ReturnType<typeof createAgentStepExecutor>;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    execute = createAgentStepExecutor({
      pool: db.pool,
      clock: { now: () => now },
      voice: createRulesVoice(),
    });
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(
      'truncate atc.steps, atc.missions, atc.proposals, atc.events, atc.memories, atc.conversations, atc.price_samples, atc.outcomes, atc.positions cascade',
    );
  });

  const memories = async () =>
    (
      await db.pool.query<{ agent: string; type: string; content: string; source_trace_id: string }>(
        'select agent, type, content, source_trace_id from atc.memories order by created_at',
      )
    ).rows;
  const eventTypes = async () =>
    (await db.pool.query<{ type: string }>('select type from atc.events order by id')).rows.map(
      (r) => r.type,
    );

  async function samples(instrument: string, prices: string[]) {
    await db.pool.query(
      `insert into atc.price_samples (market, instrument, last, sampled_at)
       select 'crypto', $1::text, p::numeric, $3::timestamptz + (n * interval '1 minute')
         from unnest($2::text[]) with ordinality as t(p, n)`,
      [instrument, prices, minutesAgo(60)],
    );
  }

  it('analyze: a market deep dive writes one insight for the proposer with the moves and ranges', async () => {
    await samples('SOL', ['100', '96', '110', '105']);
    const step = await agentStep(db.pool, 'intel', {
      kind: 'analyze',
      market: 'crypto',
      topic: 'Market deep dive',
      details: { analysisType: 'deep_dive' },
    });
    const outcome = await execute(step, context);
    expect(outcome).toMatchObject({
      type: 'succeeded',
      result: {
        figures: {
          study: 'market',
          instruments: [{ instrument: 'SOL', samples: 4, last: '105', move: '0.0500', range: '0.1458' }],
        },
      },
    });
    const rows = await memories();
    expect(rows).toEqual([
      expect.objectContaining({ agent: 'intel', type: 'insight', source_trace_id: step.id }),
    ]);
    expect(rows[0]!.content).toContain('SOL 0.0500 move, 0.1458 range');
    expect(await eventTypes()).toEqual(['memory_created']);
  });

  it('analyze: a performance review counts wins and P&L from atc.outcomes', async () => {
    const pnl = ['12.50', '-4.00', '7.50', '-2.00'];
    for (const [i, p] of pnl.entries()) {
      const position = await db.pool.query<{ id: string }>(
        `insert into atc.positions (market, symbol, side, quantity, average_price, status, closed_at)
         values ('crypto', 'SOL', 'long', 0, 100, 'closed', now()) returning id`,
      );
      await db.pool.query(
        `insert into atc.outcomes (position_id, market, symbol, side, quantity, entry_price, exit_price, realised_pnl,
                                   pnl_fraction, outcome_type, hold_seconds, opened_at, closed_at)
         values ($4::uuid, 'crypto', 'SOL', 'long', 1, 100, 100, $1::numeric, 0, $2::text, 60, $3::timestamptz, $3::timestamptz)`,
        [p, p.startsWith('-') ? 'loss' : 'win', minutesAgo(30 + i), position.rows[0]!.id],
      );
    }
    const step = await agentStep(db.pool, 'growth', {
      kind: 'analyze',
      topic: 'Performance review (24 h)',
      details: { analysisType: 'trade_performance' },
    });
    const outcome = await execute(step, context);
    expect(outcome).toMatchObject({
      result: {
        figures: {
          study: 'performance',
          trades: 4,
          wins: 2,
          winRate: '0.5000',
          realisedPnl: '14.00',
          averageWinner: '10.00',
          averageLoser: '-3.00',
        },
      },
    });
  });

  it('calculate_risk: exposure, positions and the day loss against policy, remembered by sage', async () => {
    await db.pool.query(
      `insert into atc.positions (market, symbol, side, quantity, average_price) values ('crypto', 'SOL', 'long', 2, 50)`,
    );
    // One MES long at 6000 with its stop 6 points below: 5 × 1 × 6 = 30 USD to the stop, as the gates count it.
    await db.pool.query(
      `insert into atc.positions (market, symbol, side, quantity, average_price, multiplier, stop_loss)
       values ('futures', 'MES', 'long', 1, 6000, 5, 5994)`,
    );
    const step = await agentStep(db.pool, 'atlas', { kind: 'calculate_risk', scope: 'portfolio_risk' });
    const outcome = await execute(step, context);
    expect(outcome).toMatchObject({
      type: 'succeeded',
      result: {
        figures: {
          study: 'risk',
          openPositions: 2,
          exposureUsd: '130.00',
          exposureByMarket: { crypto: '100.00', futures: '30.00' },
          realisedLossToday: '0.00',
        },
      },
    });
    expect(await memories()).toEqual([
      expect.objectContaining({ agent: 'sage', type: 'insight', source_trace_id: step.id }),
    ]);
  });

  it('fails a step whose payload does not match its kind, permanently', async () => {
    const step = await agentStep(db.pool, 'atlas', {
      kind: 'roundtable',
      format: 'debate',
      participants: ['atlas'],
      topic: 't',
    });
    await expect(execute(step, context)).rejects.toThrow(/invalid roundtable payload/);
  });

  it('a market-less WorkerRuntime drains mixed agent steps to succeeded and leaves market steps alone', async () => {
    const steps = [
      await agentStep(db.pool, 'intel', {
        kind: 'analyze',
        topic: 'Scan',
        details: { analysisType: 'opportunity_scan' },
      }),
      await agentStep(db.pool, 'observer', {
        kind: 'analyze',
        topic: 'System health check',
        details: { analysisType: 'system_operations' },
      }),
      await agentStep(db.pool, 'sage', { kind: 'calculate_risk', scope: 'portfolio_risk' }),
      await agentStep(db.pool, 'atlas', {
        kind: 'roundtable',
        format: 'strategy_session',
        participants: ['atlas', 'scout', 'growth'],
        topic: 'Plan',
      }),
    ];
    await insertQueuedSteps(db.pool, { market: 'crypto', count: 2 });
    const runtime = new WorkerRuntime({
      pool: db.pool,
      market: null,
      workerId: 'roundtable-test',
      kinds: AGENT_STEP_KINDS,
      concurrency: 2,
      leaseMs: 30_000,
      leaseRenewIntervalMs: 10_000,
      pollIntervalMs: 20,
      executor: createAgentStepExecutor({ pool: db.pool, clock: systemClock, voice: createRulesVoice() }),
      mayClaim: () => true,
      logger: silentLogger(),
    });
    runtime.start();
    // The strategy session's action items become analyze proposals of their own (source
    // 'roundtable'); approved ones add steps this runtime also runs. Judge the four given here.
    const ids = steps.map((s) => s.id);
    const statusOf = async () =>
      (
        await db.pool.query<{ market: string | null; status: string; n: number }>(
          `select market, status, count(*)::int as n from atc.steps
            where market is not null or id = any($1::uuid[]) group by market, status order by market`,
          [ids],
        )
      ).rows;
    const changes = await DatabaseChanges.listen(db.url);
    try {
      await changes.until('every agent step succeeded', async () =>
        (await statusOf()).some((r) => r.market === null && r.status === 'succeeded' && r.n === steps.length),
      );
    } finally {
      await changes.close();
    }
    await runtime.drain();
    expect(await statusOf()).toEqual([
      { market: 'crypto', status: 'queued', n: 2 },
      { market: null, status: 'succeeded', n: 4 },
    ]);
    const results = await db.pool.query<{ result: unknown }>(
      'select result from atc.steps where id = any($1::uuid[])',
      [ids],
    );
    expect(results.rows.every((r) => r.result !== null)).toBe(true);
    // One memory per analysis and risk step; the roundtable's conversation finished with its own.
    const stepMemories = (await memories()).filter((m) => ids.includes(m.source_trace_id));
    expect(stepMemories.length).toBe(3);
    const conversations = await db.pool.query<{ status: string }>('select status from atc.conversations');
    expect(conversations.rows).toEqual([{ status: 'succeeded' }]);
  });
});
