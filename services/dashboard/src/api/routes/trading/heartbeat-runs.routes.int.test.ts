/**
 * GET /api/heartbeat/runs against the real database: newest first with each run's phases in order,
 * keyset pages that neither repeat nor skip a run, and a foreign cursor refused.
 * @module
 */
import { InputError } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { listHeartbeatRunsRoute } from './heartbeat-runs.routes';
import { apiContext, callRoute } from './testing/api-context.fixture';

const asOf = new Date('2031-02-04T15:00:00Z');
const minutesBefore = (minutes: number) => new Date(asOf.getTime() - minutes * 60_000);

describe('GET /api/heartbeat/runs', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const insert = (status: string, startedAt: Date, phases: unknown, errors: unknown = []) =>
      db.pool.query(
        `insert into atc.heartbeat_runs (status, owner, started_at, finished_at, duration_ms, phases, errors)
         values ($1, 'hb-1', $2, $2::timestamptz + interval '1.5 seconds', 1500, $3::jsonb, $4::jsonb)`,
        [status, startedAt, JSON.stringify(phases), JSON.stringify(errors)],
      );
    await insert('success', minutesBefore(15), [
      { name: 'evaluate_triggers', status: 'success', durationMs: 12.5, detail: { fired: 2 } },
      { name: 'promote_proposals', status: 'success', durationMs: 40 },
    ]);
    await insert(
      'partial_failure',
      minutesBefore(10),
      [
        { name: 'evaluate_triggers', status: 'success', durationMs: 10 },
        { name: 'mark_positions', status: 'failed', durationMs: 900 },
      ],
      [{ phase: 'mark_positions', code: 'venue_unavailable', message: 'Jupiter answered 503' }],
    );
    await insert('skipped', minutesBefore(5), []);
  });
  afterAll(() => db.drop());

  const context = () => apiContext(db.pool, { at: asOf, role: 'viewer' });

  it('answers every run newest first, skipped ones included, with phases in run order and no extra keys', async () => {
    const { body } = await callRoute(listHeartbeatRunsRoute, { query: {} }, context());
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((run) => run.status)).toEqual(['skipped', 'partial_failure', 'success']);
    const [, failed, ok] = body.items;
    expect(failed).toMatchObject({
      owner: 'hb-1',
      startedAt: minutesBefore(10).toISOString(),
      durationMs: 1500,
      errors: [{ phase: 'mark_positions', code: 'venue_unavailable', message: 'Jupiter answered 503' }],
      phases: [
        { name: 'evaluate_triggers', status: 'success', durationMs: 10 },
        { name: 'mark_positions', status: 'failed', durationMs: 900 },
      ],
    });
    // The runner's detail stays in the database: the wire carries name, status and time only.
    expect(ok!.phases[0]).toEqual({ name: 'evaluate_triggers', status: 'success', durationMs: 12.5 });
  });

  it('pages by keyset: two pages of one and two runs, no repeat, no gap', async () => {
    const first = await callRoute(listHeartbeatRunsRoute, { query: { limit: '1' } }, context());
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await callRoute(
      listHeartbeatRunsRoute,
      { query: { limit: '5', cursor: first.body.nextCursor } },
      context(),
    );
    expect([...first.body.items, ...second.body.items].map((run) => run.status)).toEqual([
      'skipped',
      'partial_failure',
      'success',
    ]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not hand out', async () => {
    await expect(
      callRoute(listHeartbeatRunsRoute, { query: { cursor: 'bm90LWEtY3Vyc29y' } }, context()),
    ).rejects.toBeInstanceOf(InputError);
  });
});
