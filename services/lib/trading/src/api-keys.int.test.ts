import { fixedClock, type Clock } from '@atc/contracts';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { createApiKey, listApiKeys, parseKeyLifetime, revokeApiKey, verifyApiKey } from './api-keys';
import { issueStreamTicket, redeemStreamTicket, STREAM_TICKET_TTL_MS } from './stream-tickets';
import { verifyAuditChain } from './audit-log';

describe('API keys and stream tickets', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const T0 = new Date('2026-03-02T15:00:00.000Z');
  const at = (ms: number): Clock => fixedClock(T0.getTime() + ms);

  it('returns the key once, stores only its hash, and audits the creation with the actor', async () => {
    const { key, summary } = await createApiKey(
      db.pool,
      { name: 'ci-reader', role: 'viewer', actor: 'operator:ann' },
      at(0),
    );
    expect(key).toMatch(/^atc_[0-9A-Za-z]{49}$/);
    expect(summary).toMatchObject({
      name: 'ci-reader',
      role: 'viewer',
      prefix: key.slice(0, 12),
      expiresAt: null,
    });
    const stored = await db.pool.query<{ row: string }>(
      `select row_to_json(k)::text as row from atc.api_keys k`,
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]!.row).not.toContain(key.slice(12));
    const audit = await db.pool.query(
      `select actor, action, subject_id from atc.audit_log where subject_type = 'api_key'`,
    );
    expect(audit.rows).toEqual([
      { actor: 'operator:ann', action: 'api_key.created', subject_id: 'ci-reader' },
    ]);
  });

  it('verifies a key, and tells unknown, expired and revoked apart', async () => {
    const { key } = await createApiKey(
      db.pool,
      {
        name: 'deploy',
        role: 'operator',
        actor: 'admin-key',
        lifetimeMs: parseKeyLifetime('1d', '--expires'),
      },
      at(0),
    );
    expect(await verifyApiKey(db.pool, key, at(1000))).toEqual({
      ok: true,
      name: 'deploy',
      role: 'operator',
      expiresAt: new Date(at(0).now().getTime() + 86_400_000),
    });
    // One character changed breaks the checksum; a well-formed key nobody issued is unknown too.
    // (Changed for sure: a random key ends in `x` one time in 62.)
    const altered = `${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`;
    expect(await verifyApiKey(db.pool, altered, at(0))).toEqual({
      ok: false,
      reason: 'unknown',
    });
    expect(await verifyApiKey(db.pool, 'atc_nope', at(0))).toEqual({ ok: false, reason: 'unknown' });
    expect(await verifyApiKey(db.pool, key, at(86_400_000))).toEqual({ ok: false, reason: 'expired' });
    await revokeApiKey(db.pool, { name: 'deploy', actor: 'operator:ann' }, at(2000));
    expect(await verifyApiKey(db.pool, key, at(3000))).toEqual({ ok: false, reason: 'revoked' });
    await expect(revokeApiKey(db.pool, { name: 'deploy', actor: 'x' }, at(0))).rejects.toThrow(
      /no live API key/,
    );
    const actions = await db.pool.query<{ action: string }>(
      `select action from atc.audit_log where subject_id = 'deploy' order by id`,
    );
    expect(actions.rows.map((row) => row.action)).toEqual(['api_key.created', 'api_key.revoked']);
    expect((await verifyAuditChain(db.pool)).ok).toBe(true);
  });

  it('stamps last_used_at at most once a minute', async () => {
    const { key } = await createApiKey(db.pool, { name: 'stamp', role: 'admin', actor: 'a' }, at(0));
    const lastUsed = async () => (await listApiKeys(db.pool)).find((k) => k.name === 'stamp')!.lastUsedAt;
    await verifyApiKey(db.pool, key, at(1_000));
    expect(await lastUsed()).toEqual(new Date(T0.getTime() + 1_000));
    await verifyApiKey(db.pool, key, at(30_000));
    expect(await lastUsed()).toEqual(new Date(T0.getTime() + 1_000));
    await verifyApiKey(db.pool, key, at(61_001));
    expect(await lastUsed()).toEqual(new Date(T0.getTime() + 61_001));
  });

  it('refuses a taken name, a bad role and a bad lifetime, writing nothing', async () => {
    const before = await db.pool.query(`select count(*)::int as n from atc.api_keys`);
    await expect(createApiKey(db.pool, { name: 'stamp', role: 'viewer', actor: 'a' }, at(0))).rejects.toThrow(
      /already exists/,
    );
    await expect(createApiKey(db.pool, { name: 'x', role: 'root', actor: 'a' }, at(0))).rejects.toThrow(
      /role must be one of viewer, operator, admin/,
    );
    await expect(
      createApiKey(db.pool, { name: 'bad name', role: 'viewer', actor: 'a' }, at(0)),
    ).rejects.toThrow(/name must be/);
    for (const text of ['banana', '0d', '-1d', '1.5d', '3651d', '']) {
      expect(() => parseKeyLifetime(text, '--expires')).toThrow(/--expires must be/);
    }
    expect(parseKeyLifetime('90d', '--expires')).toBe(90 * 86_400_000);
    expect(parseKeyLifetime('12h', '--expires')).toBe(12 * 3_600_000);
    expect(await db.pool.query(`select count(*)::int as n from atc.api_keys`)).toMatchObject({
      rows: before.rows,
    });
  });

  it('redeems a stream ticket once, within 60 s, with the issuer role', async () => {
    const issued = await issueStreamTicket(db.pool, { name: 'ci-reader', role: 'viewer' }, at(0));
    expect(issued.expiresAt).toEqual(new Date(T0.getTime() + STREAM_TICKET_TTL_MS));
    expect(await redeemStreamTicket(db.pool, issued.ticket, at(59_999))).toEqual({
      ok: true,
      name: 'ci-reader',
      role: 'viewer',
    });
    expect(await redeemStreamTicket(db.pool, issued.ticket, at(59_999))).toEqual({
      ok: false,
      reason: 'ticket_used',
    });

    const late = await issueStreamTicket(db.pool, { name: 'ci-reader', role: 'viewer' }, at(0));
    expect(await redeemStreamTicket(db.pool, late.ticket, at(60_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await redeemStreamTicket(db.pool, 'atcst_unknown', at(0))).toEqual({
      ok: false,
      reason: 'unknown',
    });
    const stored = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from atc.stream_tickets where ticket_hash = $1 or ticket_hash = $2`,
      [issued.ticket, late.ticket],
    );
    expect(stored.rows[0]!.n).toBe(0);
  });

  it('lets exactly one of concurrent redemptions of a ticket win', async () => {
    const pool = db.createPool(10);
    const issued = await issueStreamTicket(db.pool, { name: 'ops', role: 'operator' }, at(0));
    const results = await Promise.all(
      Array.from({ length: 10 }, () => redeemStreamTicket(pool, issued.ticket, at(1_000))),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === 'ticket_used')).toHaveLength(9);
    await pool.end();
  });
});
