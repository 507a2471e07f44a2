import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { InputError } from '@atc/platform';
import { submitProposal } from './proposal-intake';
import { applySeeds } from './seeds';
import {
  analysisProposal,
  tableCounts,
  tradeProposal,
  tunePolicy,
  insertTestMarks,
} from './testing/proposal.fixtures';

describe('proposal intake', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await insertTestMarks(db.pool);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('refuses invalid input with field-level messages', async () => {
    const bad = tradeProposal({ confidence: 1.5 });
    const trade = bad.steps[0]!;
    if (trade.kind !== 'execute_trade') throw new Error('fixture changed');
    (trade.trade as { notionalUsd: unknown }).notionalUsd = 30.5;
    const error = await submitProposal(db.pool, bad, { asOf: new Date() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const issues = (error as InputError).details?.issues as string[];
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^confidence: /),
        expect.stringMatching(/^steps\.0\.trade\.notionalUsd: /),
      ]),
    );
  });

  it('auto-approves a small confident trade, creating its mission and steps with an explicit market', async () => {
    const decision = await submitProposal(db.pool, tradeProposal(), { asOf: new Date() });
    expect(decision).toMatchObject({ status: 'approved', reasonCode: null, replayed: false });
    expect(decision.policyVersion).toBeGreaterThan(0);
    const { rows } = await db.pool.query(
      `select s.kind, s.market, s.status, m.status as mission from atc.steps s join atc.missions m on m.id = s.mission_id
        where m.id = $1`,
      [decision.missionId],
    );
    expect(rows).toEqual([{ kind: 'execute_trade', market: 'crypto', status: 'queued', mission: 'queued' }]);
  });

  it('routes a large trade to awaiting_approval with an expiry, holding its slot', async () => {
    const decision = await submitProposal(db.pool, tradeProposal({ notionalUsd: '50' }), {
      asOf: new Date(),
    });
    expect(decision).toMatchObject({ status: 'awaiting_approval', missionId: null });
    const row = await db.pool.query<{ trade_slots: number; expires_at: Date }>(
      `select trade_slots, expires_at from atc.proposals where id = $1`,
      [decision.proposalId],
    );
    expect(row.rows[0]!.trade_slots).toBe(1);
    expect(row.rows[0]!.expires_at).toBeInstanceOf(Date);
  });

  it('a replayed sourceTraceId returns the first decision and writes nothing', async () => {
    const input = tradeProposal();
    const first = await submitProposal(db.pool, input, { asOf: new Date() });
    const before = await tableCounts(db.pool);
    const again = await submitProposal(
      db.pool,
      { ...input, title: 'changed on replay' },
      { asOf: new Date() },
    );
    expect(again).toEqual({ ...first, replayed: true });
    expect(await tableCounts(db.pool)).toEqual(before);
  });

  it('rejects with a reason code and message at each content gate', async () => {
    const low = await submitProposal(db.pool, tradeProposal({ confidence: 0.4 }), { asOf: new Date() });
    expect(low).toMatchObject({ status: 'rejected', reasonCode: 'min_confidence' });
    expect(low.reasonMessage).toMatch(/below the minimum 0.6/);
    const noStop = tradeProposal();
    const step = noStop.steps[0]!;
    if (step.kind === 'execute_trade') delete step.trade.stopLoss;
    expect(await submitProposal(db.pool, noStop, { asOf: new Date() })).toMatchObject({
      reasonCode: 'stop_loss_required',
    });
    expect(
      await submitProposal(db.pool, tradeProposal({ notionalUsd: '61' }), { asOf: new Date() }),
    ).toMatchObject({
      reasonCode: 'position_size',
    });
    const close = analysisProposal({
      steps: [
        { kind: 'close_position', market: 'options', symbol: 'SPY240621C00500000', reason: 'stop hit' },
      ],
    });
    expect(await submitProposal(db.pool, close, { asOf: new Date() })).toMatchObject({
      reasonCode: 'no_open_position',
    });
  });

  it('auto-approves analysis work within its quota and rejects beyond it', async () => {
    await tunePolicy(db.pool, 'quotas', { maxDailyAnalyses: 2 });
    const [a, b, c] = [
      await submitProposal(db.pool, analysisProposal(), { asOf: new Date() }),
      await submitProposal(db.pool, analysisProposal(), { asOf: new Date() }),
      await submitProposal(db.pool, analysisProposal(), { asOf: new Date() }),
    ];
    expect([a.status, b.status, c.status]).toEqual(['approved', 'approved', 'rejected']);
    expect(c.reasonCode).toBe('analysis_quota');
    await tunePolicy(db.pool, 'quotas', {});
  });

  it('fails closed: a database error inside a gate rejects with gate_error and holds no slot', async () => {
    const before = await tableCounts(db.pool);
    // A real database error in the daily-loss gate: its table is gone for the duration.
    await db.pool.query('alter table atc.fills rename to fills_hidden');
    try {
      const decision = await submitProposal(db.pool, tradeProposal(), { asOf: new Date() });
      expect(decision).toMatchObject({ status: 'rejected', reasonCode: 'gate_error', missionId: null });
      expect(decision.reasonMessage).toMatch(/fills/);
    } finally {
      await db.pool.query('alter table atc.fills_hidden rename to fills');
    }
    const after = await tableCounts(db.pool);
    expect(after.counters).toBe(before.counters);
    expect(after.missions).toBe(before.missions);
    expect(after.proposals).toBe(before.proposals! + 1);
  });

  it('fails closed when a stored policy is invalid', async () => {
    await db.pool.query(
      `update atc.policies set value = '{"maxDailyTrades": "lots"}' where key = 'trade_limits'`,
    );
    try {
      expect(await submitProposal(db.pool, tradeProposal(), { asOf: new Date() })).toMatchObject({
        status: 'rejected',
        reasonCode: 'gate_error',
      });
    } finally {
      await tunePolicy(db.pool, 'trade_limits', {});
    }
  });
});
