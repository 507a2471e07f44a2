import { randomUUID } from 'node:crypto';
import { eventPayloadSchemas } from '@atc/contracts';
import { findMigrationsDirectory, Migrator, silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';

/** Migration 0013: the retired `step_status_changed` rows become lists of one change, and back. */
describe('migration 0013: one event type for step status changes (real PostgreSQL)', () => {
  let db: TestDatabase;
  let migrator: Migrator;
  let before: number;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    migrator = new Migrator({
      pool: db.pool,
      directory: findMigrationsDirectory(__dirname),
      logger: silentLogger(),
    });
    before = Math.max(...(await migrator.status()).map((m) => m.id).filter((id) => id < 13));
    await migrator.up(before);
  });
  afterAll(() => db.drop());

  const events = async () =>
    (
      await db.pool.query<Record<string, unknown>>(
        'select id, type, aggregate_type, aggregate_id, market, payload from atc.events order by id',
      )
    ).rows;

  it('up rewrites old single-step events into steps_status_changed; down restores them exactly', async () => {
    const [stepId, missionId, claimedId] = [randomUUID(), randomUUID(), randomUUID()];
    const single = {
      stepId,
      missionId,
      market: 'crypto',
      from: 'running',
      to: 'failed',
      error: 'bad symbol',
    };
    const claim = { changes: [{ ...single, stepId: claimedId, from: 'queued', to: 'running', error: null }] };
    await db.pool.query(
      `insert into atc.events (type, aggregate_type, aggregate_id, market, payload) values
         ('step_status_changed', 'step', $1, 'crypto', $2::jsonb),
         ('steps_status_changed', 'step', null, 'crypto', $3::jsonb),
         ('mission_status_changed', 'mission', $4, null, $5::jsonb)`,
      [
        stepId,
        JSON.stringify(single),
        JSON.stringify(claim),
        missionId,
        JSON.stringify({ missionId, from: 'running', to: 'failed' }),
      ],
    );
    const original = await events();

    await migrator.up();
    const migrated = await events();
    expect(migrated.map((e) => e.type)).toEqual([
      'steps_status_changed',
      'steps_status_changed',
      'mission_status_changed',
    ]);
    expect(migrated[0]).toMatchObject({ aggregate_type: 'step', aggregate_id: stepId, market: 'crypto' });
    expect(eventPayloadSchemas.steps_status_changed.parse(migrated[0]!.payload)).toEqual({
      changes: [single],
    });
    expect(migrated.slice(1)).toEqual(original.slice(1));

    await migrator.down(before);
    expect(await events()).toEqual(original);
  });
});
