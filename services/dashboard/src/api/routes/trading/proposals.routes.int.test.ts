/**
 * The proposal routes against the real database: keyset paging that neither repeats nor skips a row
 * when proposals arrive between page reads, the filters, one proposal with its gate results, submit
 * (201, a replay 200) with the injected venue quotes, and approve/reject bound to the content hash.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { TradePayload } from '@atc/contracts';
import { ConflictError, InputError, NotFoundError } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds } from '@atc/trading';
import { insertTestMarks, SOL_MINT, tradeProposal } from '@atc/trading/testing';
import {
  approveProposalRoute,
  getProposalRoute,
  listProposalsRoute,
  rejectProposalRoute,
  submitProposalRoute,
} from './proposals.routes';
import { apiContext, callRoute } from './testing/api-context.fixture';

const asOf = new Date('2031-02-04T15:00:00Z');

describe('proposal routes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(
      `truncate atc.entry_admissions, atc.steps, atc.missions, atc.proposals, atc.counters, atc.price_samples cascade`,
    );
    await insertTestMarks(db.pool, asOf);
  });

  const context = (services = {}) => apiContext(db.pool, { at: asOf, name: 'key:alice', services });

  /** `count` pending proposals written by one statement: they share created_at, only the id orders them. */
  async function insertProposals(count: number, agent = 'atlas', market = 'crypto'): Promise<string[]> {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash)
       select 'agent', 'page-' || gen_random_uuid(), $2::text, 'paging', 0.5,
              jsonb_build_object('steps', jsonb_build_array(jsonb_build_object('market', $3::text))),
              repeat('a', 64)
         from generate_series(1, $1::int)
       returning id`,
      [count, agent, market],
    );
    return rows.map((row) => row.id);
  }

  async function readAll(
    query: Record<string, unknown>,
    between?: () => Promise<unknown>,
  ): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const { body } = await callRoute(
        listProposalsRoute,
        { query: { ...query, ...(cursor ? { cursor } : {}) } },
        context(),
      );
      seen.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      if (between) await between();
    } while (cursor);
    return seen;
  }

  it('pages newest first by a keyset: no duplicate and no gap when rows arrive between page reads', async () => {
    const older = await insertProposals(7);
    const newer = await insertProposals(4);
    const arrived: string[] = [];
    const seen = await readAll({ limit: '3' }, async () => arrived.push(...(await insertProposals(2))));
    expect(new Set(seen).size).toBe(seen.length);
    // Everything there at the first read, newer statement first; the arrivals are newer than any cursor.
    expect(seen).toHaveLength(11);
    expect(new Set(seen)).toEqual(new Set([...older, ...newer]));
    expect(new Set(seen.slice(0, 4))).toEqual(new Set(newer));
    expect(seen.some((id) => arrived.includes(id))).toBe(false);
  });

  it('filters by status, agent, market and creation time', async () => {
    const atlas = await insertProposals(2, 'atlas', 'crypto');
    const sage = await insertProposals(3, 'sage', 'futures');
    expect(new Set(await readAll({ agent: 'sage' }))).toEqual(new Set(sage));
    expect(new Set(await readAll({ market: 'crypto' }))).toEqual(new Set(atlas));
    expect(await readAll({ status: 'approved' })).toEqual([]);
    expect(await readAll({ status: 'pending', market: 'options' })).toEqual([]);
    const { rows } = await db.pool.query<{ at: Date }>('select max(created_at) as at from atc.proposals');
    const after = new Date(rows[0]!.at.getTime() + 1).toISOString();
    expect(await readAll({ from: after })).toEqual([]);
    expect(await readAll({ to: after })).toHaveLength(5);
  });

  it('refuses a cursor it did not make, naming the field', async () => {
    const call = callRoute(listProposalsRoute, { query: { cursor: 'not-a-cursor' } }, context());
    await expect(call).rejects.toBeInstanceOf(InputError);
    await expect(call).rejects.toThrow(/^query\.cursor:/);
  });

  it('submits with the injected venue quotes (201), answers a replay with the first decision (200)', async () => {
    const asked: unknown[] = [];
    const quoteEntries = (trades: readonly unknown[]) => {
      asked.push(...trades);
      return Promise.resolve([
        { market: 'crypto', instrument: SOL_MINT, price: '150', source: 'venue_quote', at: asOf },
      ]);
    };
    const input = tradeProposal();
    const first = await callRoute(submitProposalRoute, { body: input }, context({ quoteEntries }));
    expect(first).toMatchObject({ status: 201, body: { status: 'approved', replayed: false } });
    expect((asked[0] as TradePayload).market).toBe('crypto');
    const shown = await callRoute(getProposalRoute, { params: { id: first.body.proposalId } }, context());
    expect(shown.body.admissions).toEqual([
      expect.objectContaining({ instrument: SOL_MINT, price: '150', priceSource: 'venue_quote' }),
    ]);
    expect(shown.body.gateResults).toEqual([
      expect.objectContaining({ status: 'approved', decidedBy: 'risk-gates', reasonCode: null }),
    ]);
    expect(shown.body.missionId).toBe(first.body.missionId);
    const replay = await callRoute(submitProposalRoute, { body: input }, context({ quoteEntries }));
    expect(replay).toMatchObject({
      status: 200,
      body: { proposalId: first.body.proposalId, replayed: true },
    });
    // The key that submitted is the actor of the submission's audit row, the gates of the decision's;
    // the replay wrote nothing.
    const { rows: audit } = await db.pool.query<{ actor: string; action: string }>(
      `select actor, action from atc.audit_log where subject_id = $1 order by id`,
      [first.body.proposalId],
    );
    expect(audit).toEqual([
      { actor: 'key:alice', action: 'proposal.submitted' },
      { actor: 'risk-gates', action: 'proposal.decided' },
    ]);
  });

  it('approve and reject are bound to the content hash (stale → 409) and decided by the caller', async () => {
    // 50 USD is above the 40 USD auto-approval limit: an operator decides.
    const submit = async () =>
      (await callRoute(submitProposalRoute, { body: tradeProposal({ notionalUsd: '50' }) }, context())).body
        .proposalId;
    const [a, b] = [await submit(), await submit()];
    const hashOf = async (id: string) =>
      (await callRoute(getProposalRoute, { params: { id } }, context())).body.contentHash;
    const stale = 'b'.repeat(64);
    await expect(
      callRoute(approveProposalRoute, { params: { id: a }, body: { contentHash: stale } }, context()),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      callRoute(
        rejectProposalRoute,
        { params: { id: b }, body: { contentHash: stale, reason: 'no' } },
        context(),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    const approved = await callRoute(
      approveProposalRoute,
      { params: { id: a }, body: { contentHash: await hashOf(a) } },
      context(),
    );
    expect(approved.body).toMatchObject({ status: 'approved' });
    const rejected = await callRoute(
      rejectProposalRoute,
      { params: { id: b }, body: { contentHash: await hashOf(b), reason: 'too risky today' } },
      context(),
    );
    expect(rejected.body).toMatchObject({ status: 'rejected', reasonCode: 'approver_rejected' });
    const shown = await callRoute(getProposalRoute, { params: { id: a } }, context());
    expect(shown.body).toMatchObject({ status: 'approved', decidedBy: 'key:alice' });
    expect(shown.body.gateResults.map((r) => r.status)).toEqual(['awaiting_approval', 'approved']);
  });

  it('an unknown proposal is a NotFoundError (404) for every proposal route', async () => {
    const params = { id: randomUUID() };
    const body = { contentHash: 'a'.repeat(64) };
    await expect(callRoute(getProposalRoute, { params }, context())).rejects.toBeInstanceOf(NotFoundError);
    await expect(callRoute(approveProposalRoute, { params, body }, context())).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      callRoute(rejectProposalRoute, { params, body: { ...body, reason: 'x' } }, context()),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
