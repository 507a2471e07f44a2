import { fixedClock } from '@atc/contracts';
import { ConflictError } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { approveProposal, expireProposals, rejectProposal } from './approvals';
import { readCounter } from './counters.queries';
import { engageKillSwitch, haltMarket, releaseKillSwitch, resumeMarket } from './kill-switch';
import { submitProposal } from './proposal-intake';
import { applySeeds } from './seeds';
import { analysisProposal, tradeProposal, tunePolicy, insertTestMarks } from './testing/proposal.fixtures';

const DAY = '2031-03-03';
const asOf = new Date(`${DAY}T15:00:00Z`);

describe('approvals, expiry and halts', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await insertTestMarks(db.pool, asOf);
    await insertTestMarks(db.pool, asOf, { MES: '5006' }, 'futures');
  });
  afterAll(async () => {
    await db.drop();
  });
  afterEach(async () => {
    // Each test starts from the default limits, no halts and no unsettled entries.
    await tunePolicy(db.pool, 'trade_limits', {});
    await db.pool.query(`update atc.steps set status = 'cancelled' where status = 'queued'`);
  });

  async function awaiting(notionalUsd = '50') {
    const decision = await submitProposal(db.pool, tradeProposal({ notionalUsd }), { asOf });
    expect(decision.status).toBe('awaiting_approval');
    const { rows } = await db.pool.query<{ content_hash: string }>(
      'select content_hash from atc.proposals where id = $1',
      [decision.proposalId],
    );
    return { id: decision.proposalId, hash: rows[0]!.content_hash };
  }

  it('approval creates the mission and its steps in the same transaction', async () => {
    const proposal = await awaiting();
    const decision = await approveProposal(
      db.pool,
      { proposalId: proposal.id, approver: 'operator:ann', contentHash: proposal.hash },
      { asOf },
    );
    expect(decision).toMatchObject({ status: 'approved', reasonCode: null });
    const { rows } = await db.pool.query('select kind, market, status from atc.steps where mission_id = $1', [
      decision.missionId,
    ]);
    expect(rows).toEqual([{ kind: 'execute_trade', market: 'crypto', status: 'queued' }]);
    const audit = await db.pool.query(
      `select actor from atc.audit_log where subject_id = $1 order by id desc limit 1`,
      [proposal.id],
    );
    expect(audit.rows[0]).toEqual({ actor: 'operator:ann' });
  });

  it('at approval an entry is re-priced and held to the limits, not to its stale declared notional', async () => {
    // One MES long with its stop 10 points under the 5006 mark: 50 USD at risk, declared as such.
    const futures = tradeProposal({
      title: 'Buy MES on momentum',
      steps: [
        {
          kind: 'execute_trade',
          market: 'futures',
          trade: {
            market: 'futures',
            rootSymbol: 'MES',
            side: 'buy',
            contracts: 1,
            notionalUsd: '50',
            bracket: { stopLoss: '4996' },
          },
        },
      ],
    });
    const submitted = await submitProposal(db.pool, futures, { asOf });
    expect(submitted.status).toBe('awaiting_approval');
    const { rows } = await db.pool.query<{ content_hash: string }>(
      'select content_hash from atc.proposals where id = $1',
      [submitted.proposalId],
    );
    // While it waited MES rose 2 points: 60 USD at risk, 20 % off the declaration, at the 60 USD limit.
    const moved = [
      {
        market: 'futures' as const,
        instrument: 'MES',
        price: '5008',
        source: 'venue_quote' as const,
        at: asOf,
      },
    ];
    const approved = await approveProposal(
      db.pool,
      { proposalId: submitted.proposalId, approver: 'operator:ann', contentHash: rows[0]!.content_hash },
      { asOf, quotes: moved },
    );
    expect(approved).toMatchObject({ status: 'approved', reasonCode: null });
    const admitted = await db.pool.query<{ notional_usd: string }>(
      'select notional_usd::text from atc.entry_admissions where proposal_id = $1',
      [submitted.proposalId],
    );
    expect(admitted.rows.map((r) => Number(r.notional_usd))).toEqual([60]);
    // The same declaration at submission, at the moved price, is refused as a mismatch.
    const resubmitted = await submitProposal(
      db.pool,
      { ...futures, sourceTraceId: `${futures.sourceTraceId}-again` },
      { asOf, quotes: moved },
    );
    expect(resubmitted).toMatchObject({ status: 'rejected', reasonCode: 'declared_notional_mismatch' });
  });

  it('refuses an approval whose content hash is not the proposal’s', async () => {
    const proposal = await awaiting();
    await expect(
      approveProposal(
        db.pool,
        { proposalId: proposal.id, approver: 'operator:ann', contentHash: 'f'.repeat(64) },
        { asOf },
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    await rejectProposal(db.pool, {
      proposalId: proposal.id,
      approver: 'operator:ann',
      contentHash: proposal.hash,
      reason: 'cleanup',
    });
  });

  it('a stale approval after a policy tightening is rejected with the new reason, and gives the slot back', async () => {
    const proposal = await awaiting('50');
    const slotsBefore = await readCounter(db.pool, 'trades', DAY);
    await tunePolicy(db.pool, 'trade_limits', { maxPositionSizeUsd: '45' });
    const decision = await approveProposal(
      db.pool,
      { proposalId: proposal.id, approver: 'operator:ann', contentHash: proposal.hash },
      { asOf },
    );
    expect(decision).toMatchObject({ status: 'rejected', reasonCode: 'position_size', missionId: null });
    expect(decision.reasonMessage).toMatch(/exceeds the maximum 45 USD/);
    expect(await readCounter(db.pool, 'trades', DAY)).toBe(slotsBefore - 1);
  });

  it('a slot taken and then refused by a later gate (exposure) is given back in the same transaction', async () => {
    await tunePolicy(db.pool, 'trade_limits', { maxTotalExposureUsd: '20' });
    const before = await readCounter(db.pool, 'trades', DAY);
    const decision = await submitProposal(db.pool, tradeProposal({ notionalUsd: '30' }), { asOf });
    expect(decision).toMatchObject({ status: 'rejected', reasonCode: 'total_exposure' });
    expect(await readCounter(db.pool, 'trades', DAY)).toBe(before);
  });

  it('rejection by an approver records the reason and releases the slot', async () => {
    const proposal = await awaiting();
    const before = await readCounter(db.pool, 'trades', DAY);
    const decision = await rejectProposal(db.pool, {
      proposalId: proposal.id,
      approver: 'roundtable:vote-1',
      contentHash: proposal.hash,
      reason: 'sage vetoed: no edge',
    });
    expect(decision).toMatchObject({
      status: 'rejected',
      reasonCode: 'approver_rejected',
      reasonMessage: 'sage vetoed: no edge',
    });
    expect(await readCounter(db.pool, 'trades', DAY)).toBe(before - 1);
  });

  it('awaiting proposals expire after the TTL and give their slots back', async () => {
    const proposal = await awaiting();
    const before = await readCounter(db.pool, 'trades', DAY);
    expect(await expireProposals(db.pool, { asOf: new Date(asOf.getTime() + 59 * 60_000) })).toEqual([]);
    const expired = await expireProposals(db.pool, { asOf: new Date(asOf.getTime() + 61 * 60_000) });
    expect(expired.map((d) => [d.proposalId, d.status, d.reasonCode])).toEqual([
      [proposal.id, 'expired', 'expired'],
    ]);
    expect(await readCounter(db.pool, 'trades', DAY)).toBe(before - 1);
  });

  it('the kill switch rejects new entries but lets closing risk and analysis through', async () => {
    const halts = await engageKillSwitch(db.pool, {
      reason: 'venue incident',
      by: 'operator:ann',
      clock: fixedClock(asOf),
    });
    // Stamped by the injected clock, not the machine's.
    expect(halts.global).toEqual({ reason: 'venue incident', by: 'operator:ann', since: asOf.toISOString() });
    try {
      const entry = await submitProposal(db.pool, tradeProposal(), { asOf });
      expect(entry).toMatchObject({ status: 'rejected', reasonCode: 'kill_switch' });
      expect(entry.reasonMessage).toMatch(/venue incident/);
      expect(await submitProposal(db.pool, analysisProposal(), { asOf })).toMatchObject({
        status: 'approved',
      });
    } finally {
      await releaseKillSwitch(db.pool, { by: 'operator:ann' });
    }
    expect(await submitProposal(db.pool, tradeProposal(), { asOf })).toMatchObject({ status: 'approved' });
  });

  it('a per-market halt rejects entries in that market only', async () => {
    await haltMarket(db.pool, { market: 'crypto', reason: 'RPC outage', by: 'operator:ann' });
    try {
      expect(await submitProposal(db.pool, tradeProposal(), { asOf })).toMatchObject({
        reasonCode: 'market_halted',
      });
      const futures = tradeProposal({
        steps: [
          {
            kind: 'execute_trade',
            market: 'futures',
            trade: {
              market: 'futures',
              rootSymbol: 'MES',
              side: 'buy',
              contracts: 1,
              notionalUsd: '30',
              bracket: { stopLoss: '5000' },
            },
          },
        ],
      });
      expect(await submitProposal(db.pool, futures, { asOf })).toMatchObject({ status: 'approved' });
    } finally {
      await resumeMarket(db.pool, { market: 'crypto', by: 'operator:ann' });
    }
  });
});
