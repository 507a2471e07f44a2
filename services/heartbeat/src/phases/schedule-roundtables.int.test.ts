import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { conversationFormatSpecs, ProposedStep } from '@atc/contracts';
import { applySeeds } from '@atc/trading';
import { phaseContext } from './testing/phase-context.fixture';
import { count, openPosition, phaseNamed } from './testing/state.fixture';

// Monday 2026-12-07 in Pacific standard time (UTC−8); 2026-12-25 is a Friday, an NYSE holiday.
const STANDUP_LATE = new Date('2026-12-07T15:10:00Z'); // 07:10 PT
const STANDUP_TRACE = 'schedule:morning_standup:2026-12-07';

async function setRoundtable(db: TestDatabase, path: string, value: unknown): Promise<void> {
  await db.pool.query(
    `update atc.policies set value = jsonb_set(value, $1::text[], $2::jsonb) where key = 'roundtable'`,
    [path.split('.'), JSON.stringify(value)],
  );
}

/** Every pair at `affinity`, except those listed. */
async function setAffinities(db: TestDatabase, affinity: number, except: Record<string, number> = {}) {
  await db.pool.query('update atc.relationships set affinity = $1::numeric', [affinity]);
  for (const [pair, value] of Object.entries(except)) {
    const [a, b] = pair.split(':');
    await db.pool.query(
      'update atc.relationships set affinity = $3::numeric where agent_a = $1 and agent_b = $2',
      [a, b, value],
    );
  }
}

interface StoredProposal {
  status: string;
  agent: string;
  reasonCode: string | null;
  step: unknown;
}

async function proposal(db: TestDatabase, traceId: string): Promise<StoredProposal | undefined> {
  const { rows } = await db.pool.query<StoredProposal>(
    `select status, agent, reason_code as "reasonCode", content->'steps'->0 as step
       from atc.proposals where source_trace_id = $1`,
    [traceId],
  );
  return rows[0];
}

async function scheduledEvents(db: TestDatabase): Promise<unknown[]> {
  const { rows } = await db.pool.query<{ payload: unknown }>(
    `select payload from atc.events where type = 'roundtable_scheduled' order by id`,
  );
  return rows.map((row) => row.payload);
}

const run = (db: TestDatabase, now: Date) =>
  phaseNamed('schedule_roundtables').run(phaseContext(db.pool, { now }));

describe('schedule_roundtables', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    // The seeded pairs atlas–intel (0.35) and intel–sage (0.30) would bring debates into every test.
    await setAffinities(db, 0.6);
  });
  afterEach(() => db.drop());

  it('a late heartbeat (07:10 PT) holds the standup: one proposal, a valid roundtable step, allowed participants', async () => {
    const first = await run(db, STANDUP_LATE);
    expect(first.summary).toMatchObject({ localDate: '2026-12-07', held: 1, skipped: 0 });

    const stored = await proposal(db, STANDUP_TRACE);
    expect(stored).toMatchObject({ status: 'approved', agent: 'atlas' });
    const step = ProposedStep.parse(stored!.step);
    if (step.kind !== 'roundtable') throw new Error(`expected a roundtable step, got ${step.kind}`);
    const spec = conversationFormatSpecs.morning_standup;
    expect(step.format).toBe('morning_standup');
    expect(step.participants).toEqual(expect.arrayContaining([...spec.required]));
    expect(new Set(step.participants).size).toBe(step.participants.length);
    for (const agent of step.participants) expect([...spec.required, ...spec.optional]).toContain(agent);
    expect(step.participants.length).toBeGreaterThanOrEqual(spec.minParticipants);
    expect(step.participants.length).toBeLessThanOrEqual(spec.maxParticipants);
    expect(spec.topics).toContain(step.topic);
    // The mission's step is there for the roundtable worker.
    expect(await count(db.pool, `select 1 from atc.steps where kind = 'roundtable'`)).toBe(1);

    expect(await scheduledEvents(db)).toEqual([
      {
        format: 'morning_standup',
        window: '2026-12-07',
        outcome: 'held',
        reason: null,
        participants: step.participants,
        proposalId: expect.any(String) as unknown,
      },
    ]);

    // Later in the same window: handled already, nothing new.
    const again = await run(db, new Date('2026-12-07T15:40:00Z'));
    expect(again.summary).toMatchObject({ held: 0, alreadyHandled: 1 });
    expect(await count(db.pool, `select 1 from atc.proposals`)).toBe(1);
  });

  it('four heartbeats racing enqueue the standup once', async () => {
    const summaries = await Promise.all([1, 2, 3, 4].map(() => run(db, STANDUP_LATE)));
    expect(summaries.map((s) => s.summary.held).reduce((a, b) => Number(a) + Number(b), 0)).toBe(1);
    expect(
      await count(db.pool, `select 1 from atc.proposals where source_trace_id = $1`, [STANDUP_TRACE]),
    ).toBe(1);
    expect(await count(db.pool, `select 1 from atc.reaction_cooldowns where key like 'roundtable:%'`)).toBe(
      1,
    );
    expect(await count(db.pool, `select 1 from atc.events where type = 'roundtable_scheduled'`)).toBe(1);
  });

  it('holds no standup on a market holiday (2026-12-25) or a weekend, nor before 06:30 PT', async () => {
    for (const instant of ['2026-12-25T15:10:00Z', '2026-12-26T15:10:00Z', '2026-12-07T14:29:00Z']) {
      expect((await run(db, new Date(instant))).summary).toMatchObject({ held: 0, skipped: 0 });
    }
    expect(await count(db.pool, `select 1 from atc.proposals`)).toBe(0);
    expect(await count(db.pool, `select 1 from atc.reaction_cooldowns`)).toBe(0);
  });

  it('the window follows the zone across DST: 06:35 PDT in July is 13:35 UTC', async () => {
    expect((await run(db, new Date('2026-07-15T13:25:00Z'))).summary).toMatchObject({ held: 0 });
    expect((await run(db, new Date('2026-07-15T13:35:00Z'))).summary).toMatchObject({ held: 1 });
    expect(await proposal(db, 'schedule:morning_standup:2026-07-15')).toBeDefined();
  });

  it('records a skipped roll so the window is not rolled again; the next day rolls afresh', async () => {
    const evening = new Date('2026-12-08T02:30:00Z'); // Monday 18:30 PT
    await setRoundtable(db, 'schedules.watercooler.probability', 0);
    expect((await run(db, evening)).summary).toMatchObject({ held: 0, skipped: 1 });
    const { rows } = await db.pool.query(`select key, until from atc.reaction_cooldowns`);
    // The claim lasts until the window closes (18:00 + 180 min, 21:00 PT).
    expect(rows).toEqual([
      { key: 'roundtable:watercooler:2026-12-07', until: new Date('2026-12-08T05:00:00Z') },
    ]);
    expect(await scheduledEvents(db)).toEqual([
      {
        format: 'watercooler',
        window: '2026-12-07',
        outcome: 'skipped',
        reason: 'roll',
        participants: [],
        proposalId: null,
      },
    ]);

    await setRoundtable(db, 'schedules.watercooler.probability', 1);
    expect((await run(db, new Date('2026-12-08T03:00:00Z'))).summary).toMatchObject({ alreadyHandled: 1 });
    expect(await count(db.pool, `select 1 from atc.proposals`)).toBe(0);
    expect((await run(db, new Date('2026-12-09T02:30:00Z'))).summary).toMatchObject({ held: 1 });
    expect(await proposal(db, 'schedule:watercooler:2026-12-08')).toBeDefined();
  });

  it('a position review waits for an open position within its window and cites the book', async () => {
    await setRoundtable(db, 'schedules.position_review.probability', 1);
    const review = new Date('2026-12-07T19:10:00Z'); // 11:10 PT
    expect((await run(db, review)).summary).toMatchObject({ held: 0, waitingForPositions: 1 });
    expect(await count(db.pool, `select 1 from atc.reaction_cooldowns`)).toBe(0);

    await openPosition(db.pool, { symbol: 'SOL', averagePrice: '100' });
    expect((await run(db, new Date('2026-12-07T19:40:00Z'))).summary).toMatchObject({ held: 1 });
    const stored = await proposal(db, 'schedule:position_review:2026-12-07');
    expect(stored!.step).toMatchObject({ format: 'position_review' });
    expect((stored!.step as { topic: string }).topic).toContain('[1 open (SOL), unrealised 0.00 USD');
  });

  it('goes through the same gates: the roundtable quota rejects the standup', async () => {
    await db.pool.query(
      `update atc.policies set value = jsonb_set(value, '{maxDailyRoundtables}', '0') where key = 'quotas'`,
    );
    await run(db, STANDUP_LATE);
    expect(await proposal(db, STANDUP_TRACE)).toMatchObject({
      status: 'rejected',
      reasonCode: 'roundtable_quota',
    });
    // Held (the roll) and claimed: the rejected proposal is the window's answer.
    expect((await run(db, new Date('2026-12-07T15:40:00Z'))).summary).toMatchObject({ alreadyHandled: 1 });
  });
});

describe('schedule_roundtables: the ad-hoc debate', () => {
  let db: TestDatabase;
  // A Tuesday at 04:00 PT: no scheduled format is due.
  const night = new Date('2026-12-08T12:00:00Z');
  const after = (minutes: number) => new Date(night.getTime() + minutes * 60_000);
  const debates = () =>
    db.pool
      .query<{ step: { format: string; participants: string[] }; agent: string }>(
        `select content->'steps'->0 as step, agent from atc.proposals
          where source_trace_id like 'debate:%' order by created_at`,
      )
      .then((r) => r.rows);

  beforeEach(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await setRoundtable(db, 'debate.probability', 1);
  });
  afterEach(() => db.drop());

  it('a pair below 0.4 gets a debate with the first other agent as mediator, once per cooldown', async () => {
    await setAffinities(db, 0.6, { 'atlas:intel': 0.35 });
    const [a, b] = await Promise.all([run(db, night), run(db, night)]);
    expect(Number(a.summary.debatesHeld) + Number(b.summary.debatesHeld)).toBe(1);
    expect(await debates()).toEqual([
      {
        agent: 'sage',
        step: expect.objectContaining({
          format: 'debate',
          participants: ['atlas', 'intel', 'sage'],
        }) as unknown,
      },
    ]);

    const { rows: events } = await db.pool.query<{ agent: string; payload: { outcome: string } }>(
      `select agent, payload from atc.events where type = 'roundtable_scheduled'`,
    );
    expect(events).toEqual([
      { agent: 'sage', payload: expect.objectContaining({ format: 'debate', outcome: 'held' }) as unknown },
    ]);

    expect((await run(db, after(60))).summary).toMatchObject({ debatesHeld: 0 });
    expect(await debates()).toHaveLength(1);
    // The default cooldown is a day.
    expect((await run(db, after(24 * 60 + 1))).summary).toMatchObject({ debatesHeld: 1 });
    expect(await debates()).toHaveLength(2);
  });

  it('holds no debate when every pair is at or above 0.4', async () => {
    await setAffinities(db, 0.4);
    expect((await run(db, night)).summary).toMatchObject({ debatesHeld: 0, debatesSkipped: 0 });
    expect(await debates()).toEqual([]);
    expect(await count(db.pool, `select 1 from atc.reaction_cooldowns`)).toBe(0);
  });

  it('a missed roll takes the cooldown too (the pair is not rolled again at once)', async () => {
    await setAffinities(db, 0.6, { 'intel:sage': 0.3 });
    await setRoundtable(db, 'debate.probability', 0);
    expect((await run(db, night)).summary).toMatchObject({ debatesSkipped: 1 });
    await setRoundtable(db, 'debate.probability', 1);
    expect((await run(db, after(5))).summary).toMatchObject({ debatesHeld: 0, debatesSkipped: 0 });
    expect(await debates()).toEqual([]);
  });
});
