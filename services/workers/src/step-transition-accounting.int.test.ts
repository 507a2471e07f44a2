import { systemClock } from '@atc/contracts';
import { silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds, createTradeStepExecutor, reconcile } from '@atc/trading';
import { claimSteps, recoverExpiredLeases, releaseUnstartedSteps, type ClaimedStep } from '@atc/queue';
import { insertQueuedSteps, SOL_MINT } from '@atc/trading/testing';
import { recordedStepChanges, unaccountedStepChanges } from '@atc/queue/testing';
import { TestVenue } from '@atc/venues/testing';
import { buySolStep, executeAndSettle } from './testing/trade-steps.fixture';

/**
 * Every writer of a step's status goes through atc.transition_steps: a trade run that meets each of
 * them — trade execution's own transitions, reconciliation, lease recovery, a drain's hand-back —
 * leaves exactly one change entry per transition in steps_status_changed events, and the mission's
 * status is what atc.mission_status_from_steps makes of its steps. A writer that bypassed it would
 * leave a step whose events do not chain up to its status.
 */
describe('every step status change of a trade run is recorded once (real PostgreSQL, test venue)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());

  const claim = (workerId: string, limit: number): Promise<ClaimedStep[]> =>
    claimSteps(db.pool, { market: 'crypto', workerId, limit, leaseMs: 30_000, kinds: ['execute_trade'] });

  it('trade settle, reconciliation, lease recovery and drain hand-back: one entry each, mission by the SQL rule', async () => {
    const { missionId, stepIds } = await insertQueuedSteps(db.pool, {
      market: 'crypto',
      count: 4,
      // Two test venues number their orders alike (test-1, …), and a fill's id is venue order id and
      // quantity: the resting order buys another amount, so its fill is not taken for the other's.
      payload: (index) => buySolStep(index === 0 ? '20' : '30'),
    });
    const [resting, filled, expired, unstarted] = stepIds as [string, string, string, string];
    const claimed = await claim('w', 4);
    const held = (id: string) => claimed.find((step) => step.id === id)!;

    // Trade execution commits its own transitions; one order rests at the venue, one fills.
    const slow = new TestVenue({ market: 'crypto', prices: { [SOL_MINT]: '100' }, fillImmediately: false });
    const fast = new TestVenue({ market: 'crypto', prices: { [SOL_MINT]: '100' } });
    const trade = (venue: TestVenue) =>
      createTradeStepExecutor({ clock: systemClock, pool: db.pool, venue, actor: 'w', settleWaitMs: 0 });
    expect(await executeAndSettle(db.pool, trade(slow), held(resting), 'w')).toBe('needs_reconciliation');
    expect(await executeAndSettle(db.pool, trade(fast), held(filled), 'w')).toBe('succeeded');

    // The reconciler settles the resting order once the venue filled it.
    slow.fillResting();
    const report = await reconcile({
      clock: systemClock,
      pool: db.pool,
      venues: { crypto: slow },
      actor: 'r',
      logger: silentLogger(),
    });
    expect(report).toMatchObject({ succeeded: 1, stillUnknown: 0 });

    // A lease runs out (the heartbeat requeues its step); a draining worker hands one back.
    await db.pool.query(`update atc.steps set lease_expires_at = now() - interval '1 second' where id = $1`, [
      expired,
    ]);
    expect((await recoverExpiredLeases(db.pool)).map((step) => step.id)).toEqual([expired]);
    expect((await releaseUnstartedSteps(db.pool, 'w', [held(unstarted)])).map((step) => step.id)).toEqual([
      unstarted,
    ]);

    // Another worker runs both to the end.
    const again = await claim('w2', 4);
    expect(again.map((step) => step.id).sort()).toEqual([expired, unstarted].sort());
    for (const step of again)
      expect(await executeAndSettle(db.pool, trade(fast), step, 'w2')).toBe('succeeded');

    const changes = await recordedStepChanges(db.pool);
    const chainOf = (id: string) => changes.filter((c) => c.stepId === id).map((c) => `${c.from}→${c.to}`);
    expect(chainOf(resting)).toEqual([
      'queued→running',
      'running→executing',
      'executing→needs_reconciliation',
      'needs_reconciliation→succeeded',
    ]);
    expect(chainOf(filled)).toEqual(['queued→running', 'running→executing', 'executing→succeeded']);
    for (const id of [expired, unstarted]) {
      expect(chainOf(id)).toEqual([
        'queued→running',
        'running→queued',
        'queued→running',
        'running→executing',
        'executing→succeeded',
      ]);
    }
    expect(await unaccountedStepChanges(db.pool)).toEqual([]);
    const mission = await db.pool.query<{ status: string }>('select status from atc.missions where id = $1', [
      missionId,
    ]);
    expect(mission.rows[0]!.status).toBe('succeeded');
  });
});
