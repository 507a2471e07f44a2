import { ZodError } from 'zod';
import { ConflictError, InputError, NotFoundError } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds, readHalts, setPolicy } from '@atc/trading';
import { insertQueuedSteps, tripLossLatch } from '@atc/trading/testing';
import { controlRoutes } from './control.routes';
import { callRoute, routeContext, routeOf } from './route-call.fixture';

interface AuditRow {
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  details: Record<string, unknown>;
}

describe('control routes (policies, kill switch, loss latch, reconciliation)', () => {
  let db: TestDatabase;
  const call = async <Body>(
    signature: string,
    request: Parameters<typeof callRoute>[1] = {},
    as: { role?: 'viewer' | 'operator' | 'admin'; name?: string } = {},
  ) => (await callRoute(routeOf(controlRoutes, signature), request, routeContext(db.pool, as))).body as Body;

  const lastAudit = async (action: string): Promise<AuditRow> => {
    const { rows } = await db.pool.query<AuditRow>(
      `select actor, action, subject_type, subject_id, details from atc.audit_log
        where action = $1 order by id desc limit 1`,
      [action],
    );
    return rows[0]!;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  describe('policies', () => {
    it('a key never set is a 404; an unknown key is refused by the params schema', async () => {
      await expect(call('GET /api/policies/:key', { params: { key: 'quotas' } })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(call('GET /api/policies/:key', { params: { key: 'nope' } })).rejects.toBeInstanceOf(
        ZodError,
      );
      await applySeeds(db.pool);
    });

    it('lists every policy and reads one', async () => {
      const all = await call<{ items: { key: string }[] }>('GET /api/policies');
      expect(all.items.map((p) => p.key)).toContain('trade_limits');
      const one = await call<{ key: string; value: unknown }>('GET /api/policies/:key', {
        params: { key: 'venues' },
      });
      expect(one.value).toEqual({ crypto: 'simulation', options: 'simulation', futures: 'simulation' });
    });

    it('sets a policy like `atc policy set`: same row shape, same audit entry, the principal as actor', async () => {
      const value = { maxDailyAnalyses: 7, maxDailyRoundtables: 2 };
      const viaApi = await call<Record<string, unknown>>(
        'PUT /api/policies/:key',
        { params: { key: 'quotas' }, body: { value } },
        { name: 'ops-admin' },
      );
      const apiAudit = await lastAudit('policy.set');
      // What runPolicy (services/atc/src/commands/policy.command.ts) calls for `set`.
      const viaCli = await setPolicy(db.pool, { key: 'quotas', value, by: 'operator:ann' });
      const cliAudit = await lastAudit('policy.set');

      expect(Object.keys(viaApi).sort()).toEqual(Object.keys(viaCli).sort());
      expect(viaApi).toMatchObject({ key: 'quotas', value, updatedBy: 'ops-admin' });
      expect(viaCli.version).toBeGreaterThan(viaApi.version as number);
      expect(apiAudit).toMatchObject({ actor: 'ops-admin', subject_type: 'policy', subject_id: 'quotas' });
      expect({ ...apiAudit, actor: 'x', details: { ...apiAudit.details, version: 0 } }).toEqual({
        ...cliAudit,
        actor: 'x',
        details: { ...cliAudit.details, version: 0 },
      });

      const history = await call<{ items: { by: string; version: number; value: unknown }[] }>(
        'GET /api/policies/:key/history',
        { params: { key: 'quotas' }, query: { limit: '1' } },
      );
      expect(history.items).toEqual([
        expect.objectContaining({ by: 'operator:ann', version: viaCli.version, value }),
      ]);
    });

    it('refuses an invalid value naming the field, and the halts key, writing nothing', async () => {
      const before = await call<{ version: number }>('GET /api/policies/:key', { params: { key: 'quotas' } });
      await expect(
        call('PUT /api/policies/:key', {
          params: { key: 'quotas' },
          body: { value: { maxDailyAnalyses: -1 } },
        }),
      ).rejects.toThrow(/maxDailyAnalyses/);
      await expect(
        call('PUT /api/policies/:key', { params: { key: 'halts' }, body: { value: {} } }),
      ).rejects.toBeInstanceOf(InputError);
      await expect(
        call('PUT /api/policies/:key', { params: { key: 'quotas' }, body: { value: {}, extra: 1 } }),
      ).rejects.toBeInstanceOf(ZodError);
      const after = await call<{ version: number }>('GET /api/policies/:key', { params: { key: 'quotas' } });
      expect(after.version).toBe(before.version);
    });

    it('pages the history newest first with no duplicates', async () => {
      for (let i = 0; i < 4; i++) {
        await setPolicy(db.pool, {
          key: 'quotas',
          value: { maxDailyAnalyses: i, maxDailyRoundtables: 1 },
          by: 't',
        });
      }
      const versions: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { version: number }[]; nextCursor: string | null } = await call(
          'GET /api/policies/:key/history',
          { params: { key: 'quotas' }, query: { limit: '2', ...(cursor ? { cursor } : {}) } },
        );
        versions.push(...page.items.map((v) => v.version));
        cursor = page.nextCursor;
      } while (cursor);
      expect(versions).toHaveLength(6);
      expect(versions).toEqual([...versions].sort((a, b) => b - a));
    });
  });

  describe('kill switch and loss latch', () => {
    it('engages and releases through the domain functions, audited with the principal’s name', async () => {
      const engaged = await call<{ engaged: boolean; by: string; since: string }>(
        'POST /api/kill-switch/engage',
        { body: { reason: 'venue incident' } },
        { role: 'operator', name: 'oncall-key' },
      );
      expect(engaged).toMatchObject({ engaged: true, by: 'oncall-key', since: '2026-12-07T15:00:00.000Z' });
      expect((await readHalts(db.pool)).global?.reason).toBe('venue incident');
      expect(await lastAudit('kill_switch.engaged')).toMatchObject({
        actor: 'oncall-key',
        details: { reason: 'venue incident' },
      });

      const status = await call<{ engaged: boolean; reason: string }>('GET /api/kill-switch');
      expect(status).toMatchObject({ engaged: true, reason: 'venue incident' });

      const released = await call<{ engaged: boolean }>(
        'POST /api/kill-switch/release',
        { body: { reason: 'venue back' } },
        { name: 'lead-admin' },
      );
      expect(released.engaged).toBe(false);
      expect(await lastAudit('kill_switch.released')).toMatchObject({
        actor: 'lead-admin',
        details: { reason: 'venue back' },
      });
    });

    it('halts one market with `market`, and refuses an empty reason', async () => {
      const halted = await call<{ engaged: boolean; halts: { markets: Record<string, unknown> } }>(
        'POST /api/kill-switch/engage',
        { body: { reason: 'options feed stale', market: 'options' } },
        { role: 'operator', name: 'oncall-key' },
      );
      expect(halted.engaged).toBe(false);
      expect(halted.halts.markets.options).toMatchObject({ reason: 'options feed stale', by: 'oncall-key' });
      await expect(call('POST /api/kill-switch/engage', { body: { reason: '   ' } })).rejects.toBeInstanceOf(
        ZodError,
      );
      await call('POST /api/kill-switch/release', { body: { reason: 'feed ok', market: 'options' } });
      expect((await readHalts(db.pool)).markets.options).toBeNull();
    });

    it('resets a tripped loss latch with the reason in the audit log; an untripped latch is not cleared', async () => {
      await tripLossLatch(db.pool, {
        trippedAt: '2026-12-07T14:00:00Z',
        tradingDay: '2026-12-07',
        realisedPnlUsd: '-500',
      });
      const reset = await call<{ cleared: boolean; status: { halts: { lossLatch: unknown } } }>(
        'POST /api/loss-latch/reset',
        { body: { reason: 'losses reviewed' } },
        { name: 'risk-admin' },
      );
      expect(reset).toMatchObject({ cleared: true, status: { halts: { lossLatch: null } } });
      expect(await lastAudit('loss_latch.reset')).toMatchObject({
        actor: 'risk-admin',
        details: { reason: 'losses reviewed' },
      });
      const again = await call<{ cleared: boolean }>('POST /api/loss-latch/reset', {
        body: { reason: 'again' },
      });
      expect(again.cleared).toBe(false);
    });
  });

  describe('reconciliation', () => {
    /** Trade steps parked in needs_reconciliation, each with an order intent unless `withOrder` is false. */
    async function parkSteps(count: number, withOrder = true): Promise<string[]> {
      const { stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count });
      for (const stepId of stepIds) {
        await db.pool.query(
          `update atc.steps set status = 'needs_reconciliation', attempt = 1, last_error = 'venue timed out',
                  updated_at = clock_timestamp() where id = $1`,
          [stepId],
        );
        if (withOrder) {
          await db.pool.query(
            `insert into atc.orders (step_id, attempt, client_order_id, market, symbol, side, order_type, quantity, status)
             values ($1, 1, $2, 'crypto', 'SOL', 'buy', 'market', 2.5, 'unknown')`,
            [stepId, `coid-${stepId}`],
          );
        }
      }
      return stepIds;
    }

    it('lists the waiting steps oldest first with their order, with no duplicate or gap as more arrive', async () => {
      const parked = await parkSteps(5);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: {
          items: { stepId: string; order: { quantity: string } | null; ageSeconds: number }[];
          nextCursor: string | null;
        } = await call('GET /api/reconciliation', { query: { limit: '2', ...(cursor ? { cursor } : {}) } });
        seen.push(...page.items.map((i) => i.stepId));
        expect(page.items.every((i) => i.order?.quantity === '2.5' && i.ageSeconds >= 0)).toBe(true);
        cursor = page.nextCursor;
        if (seen.length === 2) await parkSteps(1);
      } while (cursor);
      expect(seen.slice(0, 5)).toEqual(parked);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('resolves a step by hand as filled: one transition, the declaration marked as the operator’s, audited', async () => {
      const [stepId] = await parkSteps(1);
      const result = await call<{ from: string; to: string; declaration: Record<string, unknown> }>(
        'POST /api/reconciliation/:stepId/resolve',
        {
          params: { stepId },
          body: {
            outcome: 'filled',
            evidence: 'venue UI shows order 77 filled',
            venueOrderId: '77',
            filledQuantity: '2.5',
            averagePrice: '101.25',
          },
        },
        { role: 'operator', name: 'oncall-key' },
      );
      expect(result).toMatchObject({
        from: 'needs_reconciliation',
        to: 'succeeded',
        declaration: {
          source: 'operator_declared',
          outcome: 'filled',
          filledQuantity: '2.5',
          by: 'oncall-key',
        },
      });
      const step = await db.pool.query(`select status, result from atc.steps where id = $1`, [stepId]);
      expect(step.rows[0]).toMatchObject({ status: 'succeeded', result: { resolvedByHand: true } });
      // The venue's columns are not written from an operator's word.
      const order = await db.pool.query(
        `select status, filled_quantity::text as f from atc.orders where step_id = $1`,
        [stepId],
      );
      expect(order.rows[0]).toEqual({ status: 'unknown', f: '0' });
      expect(await lastAudit('reconciliation.resolved')).toMatchObject({
        actor: 'oncall-key',
        subject_type: 'step',
        subject_id: stepId,
        details: {
          clientOrderId: `coid-${stepId}`,
          declaration: { evidence: 'venue UI shows order 77 filled' },
        },
      });
      const events = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from atc.events where type = 'steps_status_changed' and payload::text like '%' || $1 || '%'`,
        [stepId],
      );
      expect(events.rows[0]!.n).toBeGreaterThan(0);

      await expect(
        call('POST /api/reconciliation/:stepId/resolve', {
          params: { stepId },
          body: { outcome: 'failed', evidence: 'x' },
        }),
      ).rejects.toBeInstanceOf(ConflictError);
    });

    it('resolves as not filled; 404 for an unknown step; 409 for a fill without an order; bad bodies refused', async () => {
      const [stepId] = await parkSteps(1);
      const notFilled = await call<{ to: string }>('POST /api/reconciliation/:stepId/resolve', {
        params: { stepId },
        body: { outcome: 'not_filled', evidence: 'venue has no such order' },
      });
      expect(notFilled.to).toBe('failed');

      const resolve = (params: unknown, body: unknown) =>
        call('POST /api/reconciliation/:stepId/resolve', { params, body });
      await expect(
        resolve({ stepId: '00000000-0000-4000-8000-000000000000' }, { outcome: 'filled', evidence: 'x' }),
      ).rejects.toBeInstanceOf(NotFoundError);
      const [orphan] = await parkSteps(1, false);
      await expect(resolve({ stepId: orphan }, { outcome: 'filled', evidence: 'x' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(resolve({ stepId: orphan }, { outcome: 'filled', evidence: '' })).rejects.toBeInstanceOf(
        ZodError,
      );
      await expect(
        resolve({ stepId: orphan }, { outcome: 'filled', evidence: 'x'.repeat(2001) }),
      ).rejects.toBeInstanceOf(ZodError);
      await expect(
        resolve({ stepId: orphan }, { outcome: 'not_filled', evidence: 'x', filledQuantity: '1' }),
      ).rejects.toBeInstanceOf(ZodError);
      await expect(
        resolve({ stepId: orphan }, { outcome: 'filled', evidence: 'x', filledQuantity: '1e3' }),
      ).rejects.toBeInstanceOf(ZodError);
      const stillWaiting = await db.pool.query<{ status: string }>(
        `select status from atc.steps where id = $1`,
        [orphan],
      );
      expect(stillWaiting.rows[0]!.status).toBe('needs_reconciliation');
    });
  });
});
