import { captureLogger, createTestDatabase, type TestDatabase } from '../testing';
import { findMigrationsDirectory, Migrator } from './migrations';
import { waitForSchema } from './wait-for-schema';

describe('waitForSchema', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterEach(() => database.drop());

  const migratorOf = (db: TestDatabase) =>
    new Migrator({
      pool: db.pool,
      directory: findMigrationsDirectory(__dirname),
      logger: captureLogger().logger,
    });

  it('waits while the schema is behind, with a capped backoff, and starts once it is migrated', async () => {
    const migrator = migratorOf(database);
    const { logger, records } = captureLogger();
    const pauses: number[] = [];
    const ready = await waitForSchema(migrator, {
      logger,
      isStopping: () => false,
      firstDelayMs: 500,
      maxDelayMs: 2_000,
      // The migrations Job runs during the fourth pause.
      delay: async (ms) => {
        pauses.push(ms);
        if (pauses.length === 4) await migrator.up();
      },
    });
    expect(ready).toBe(true);
    expect(pauses).toEqual([500, 1_000, 2_000, 2_000]);
    const messages = records.map((record) => record.msg);
    expect(messages.filter((msg) => /behind this release/.test(String(msg)))).toHaveLength(1);
    expect(messages).toContain('schema ready: starting');
  });

  it('returns at once on a current schema, and false when the process stops while waiting', async () => {
    const migrator = migratorOf(database);
    let stopping = false;
    const stopped = await waitForSchema(migrator, {
      logger: captureLogger().logger,
      isStopping: () => stopping,
      delay: () => {
        stopping = true;
        return Promise.resolve();
      },
    });
    expect(stopped).toBe(false);
    await migrator.up();
    const pauses: number[] = [];
    const ready = await waitForSchema(migrator, {
      logger: captureLogger().logger,
      isStopping: () => false,
      delay: (ms) => {
        pauses.push(ms);
        return Promise.resolve();
      },
    });
    expect(ready).toBe(true);
    expect(pauses).toEqual([]);
  });
});
