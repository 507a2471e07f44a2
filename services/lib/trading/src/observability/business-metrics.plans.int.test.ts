/**
 * The exporter reads the database on every scrape (every 15 s, per Prometheus replica, unless the
 * cache answers), so each of its statements must be index-backed at the benchmark's scale: 1,000 open
 * positions, 100,000 events and proportionate history (testing/exporter-scale.fixture.ts). Plans are
 * the planner's real choices after ANALYZE — sequential scans are not priced out. Timings are
 * `npm run bench:exporter`'s job, not a test's.
 * @module
 */
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import {
  countExporterScale,
  explainStatement,
  recordingQueryable,
  seedExporterScale,
  sequentiallyScanned,
  type RecordedStatement,
} from '@atc/trading/testing';
import { applySeeds } from '../seeds';
import { readBusinessMetrics } from './business-metrics';

/**
 * Tables a statement may read whole: a handful of rows each (the policies are one row per key, at
 * most 16; venue_health is one row per venue and reporter). Everything else must use an index.
 */
const SMALL_TABLES = new Set(['policies', 'venue_health']);

describe('the business-metrics queries at the benchmark scale', () => {
  let db: TestDatabase;
  let statements: RecordedStatement[];
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await seedExporterScale(db.pool);
    const recording = recordingQueryable(db.pool);
    await readBusinessMetrics(recording.db, { asOf: new Date() });
    statements = recording.statements;
  }, 120_000);
  afterAll(() => db.drop());

  it('holds the benchmark data set', async () => {
    expect(await countExporterScale(db.pool)).toMatchObject({ openPositions: 1000, events: 100_000 });
    expect(statements).toHaveLength(7);
  });

  it('reads no large table sequentially, in any statement', async () => {
    const scans: Record<string, string[]> = {};
    for (const statement of statements) {
      const plan = await explainStatement(db.pool, statement);
      const large = sequentiallyScanned(plan).filter((table) => !SMALL_TABLES.has(table));
      if (large.length > 0) scans[statement.text.replace(/\s+/g, ' ').slice(0, 120)] = large;
    }
    expect(scans).toEqual({});
  });

  it('would notice a sequential scan (the check itself can fail)', async () => {
    const plan = await explainStatement(db.pool, {
      text: `select count(*) from atc.orders where last_error like 'not sent:%'`,
      values: [],
    });
    expect(sequentiallyScanned(plan)).toEqual(['orders']);
  });
});
