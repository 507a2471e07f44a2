import { withTransaction } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { appendAudit, verifyAuditChain } from './audit-log';

describe('audit log', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const append = (n: number) =>
    withTransaction(db.pool, (client) =>
      appendAudit(client, {
        actor: 'operator:ann',
        action: 'policy.set',
        subjectType: 'policy',
        subjectId: `key-${n}`,
        details: { n, price: '12.50', nested: { z: 1, a: [true, null] } },
      }),
    );

  it('verifies an empty chain', async () => {
    expect(await verifyAuditChain(db.pool)).toEqual({ ok: true, checked: 0 });
  });

  it('concurrent appends on separate connections never fork the chain', async () => {
    const pool = db.createPool(40);
    await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        withTransaction(pool, (client) =>
          appendAudit(client, {
            actor: 'worker',
            action: 'order.intent',
            subjectType: 'order',
            subjectId: String(n),
          }),
        ),
      ),
    );
    const { rows } = await db.pool.query<{ forks: number }>(
      'select (count(*) - count(distinct prev_hash))::int as forks from atc.audit_log',
    );
    expect(rows[0]!.forks).toBe(0);
    expect(await verifyAuditChain(db.pool)).toEqual({ ok: true, checked: 200 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await append(1);
    await expect(db.pool.query(`update atc.audit_log set actor = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(db.pool.query('delete from atc.audit_log')).rejects.toThrow(/append-only/);
    await expect(db.pool.query('truncate atc.audit_log')).rejects.toThrow(/append-only/);
  });

  it('a rolled-back append leaves no row and no gap in the chain', async () => {
    await expect(
      withTransaction(db.pool, async (client) => {
        await appendAudit(client, {
          actor: 'a',
          action: 'order.intent',
          subjectType: 'order',
          subjectId: 'x',
        });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await append(2);
    expect((await verifyAuditChain(db.pool)).ok).toBe(true);
  });

  it('names the first row altered behind its back', async () => {
    for (let n = 3; n < 8; n++) await append(n);
    const { rows } = await db.pool.query<{ id: string }>(
      `select id::text from atc.audit_log where subject_id = 'key-5'`,
    );
    const target = rows[0]!.id;
    // Tamper as a superuser would: with triggers off for this session only.
    const client = await db.pool.connect();
    try {
      await client.query(`set session_replication_role = replica`);
      await client.query(
        `update atc.audit_log set details = jsonb_set(details, '{price}', '"99"') where id = $1`,
        [target],
      );
      await client.query(`set session_replication_role = origin`);
    } finally {
      client.release();
    }
    const result = await verifyAuditChain(db.pool);
    expect(result).toMatchObject({
      ok: false,
      firstBroken: { id: target, problem: 'content does not match its hash' },
    });
  });

  it('names a row whose link was rewritten (hash recomputed, next row left pointing at the old one)', async () => {
    const fresh = await createTestDatabase();
    try {
      for (let n = 0; n < 4; n++) {
        await withTransaction(fresh.pool, (c) =>
          appendAudit(c, { actor: 'x', action: 'order.intent', subjectType: 'order', subjectId: String(n) }),
        );
      }
      const client = await fresh.pool.connect();
      try {
        await client.query(`set session_replication_role = replica`);
        // A careful forger rewrites row 2 and its hash; row 3 still names the original hash.
        await client.query(
          `update atc.audit_log set actor = 'mallory',
                  hash = atc.audit_hash(prev_hash, id, 'mallory', action, subject_type, subject_id, details, created_at)
            where subject_id = '2'`,
        );
      } finally {
        client.release();
      }
      const { rows } = await fresh.pool.query<{ id: string }>(
        `select id::text from atc.audit_log where subject_id = '3'`,
      );
      expect(await verifyAuditChain(fresh.pool)).toMatchObject({
        ok: false,
        firstBroken: { id: rows[0]!.id, problem: 'prev_hash does not match the previous row' },
      });
    } finally {
      await fresh.drop();
    }
  });
});
