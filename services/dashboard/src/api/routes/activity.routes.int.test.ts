import { ZodError } from 'zod';
import { NotFoundError, InputError } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { appendEvent, applySeeds, setPolicy } from '@atc/trading';
import { activityRoutes } from './activity.routes';
import { callRoute, routeContext, routeOf } from './route-call.fixture';

interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

describe('activity routes (agents, memories, relationships, conversations, events, audit)', () => {
  let db: TestDatabase;
  const call = async <Body>(signature: string, request: Parameters<typeof callRoute>[1] = {}) =>
    (await callRoute(routeOf(activityRoutes, signature), request, routeContext(db.pool, { role: 'viewer' })))
      .body as Body;

  /** Reads every page; `between` runs after each page read (rows inserted while a client pages). */
  async function readAll<Item>(
    signature: string,
    request: { params?: unknown; query?: Record<string, unknown> },
    between: () => Promise<void> = () => Promise.resolve(),
  ): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, unknown> = { ...request.query, ...(cursor ? { cursor } : {}) };
      const page: Page<Item> = await call<Page<Item>>(signature, { ...request, query });
      items.push(...page.items);
      cursor = page.nextCursor;
      await between();
    } while (cursor);
    return items;
  }

  async function insertMemory(agent: string, type: string, content: string): Promise<string> {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into atc.memories (agent, type, content, confidence) values ($1, $2, $3, 0.7) returning id`,
      [agent, type, content],
    );
    return rows[0]!.id;
  }

  async function insertConversation(topic: string): Promise<string> {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into atc.conversations (format, topic, participants, status, transcript, outcome, finished_at)
       values ('debate', $1, '{atlas,sage}', 'succeeded',
               '[{"turn":1,"agent":"atlas","stance":"support","line":"go"},{"turn":2,"agent":"sage","stance":"caution","line":"stop"}]',
               '{"consensus":"undecided","summary":"split"}', now())
       returning id`,
      [topic],
    );
    return rows[0]!.id;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('lists the six agents with their role, voice and figures counted from the database', async () => {
    await insertMemory('sage', 'lesson', 'stops save capital');
    const body = await call<{
      items: { agent: string; role: string; voice: string; figures: Record<string, unknown> }[];
    }>('GET /api/agents');
    expect(body.items.map((a) => a.agent)).toEqual(['atlas', 'sage', 'scout', 'growth', 'intel', 'observer']);
    const sage = body.items.find((a) => a.agent === 'sage')!;
    expect(sage.role).toBe('Risk manager');
    expect(sage.voice).toMatch(/cautious/);
    expect(sage.figures).toMatchObject({ memories: 1, proposals: 0, conversations: 0 });
    expect(sage.figures.averageAffinity).toMatch(/^0\.\d\d$/);
  });

  it('pages an agent’s memories newest first with no duplicate or gap while new ones arrive', async () => {
    const original: string[] = [];
    for (let i = 0; i < 7; i++)
      original.push(await insertMemory('scout', i % 2 ? 'pattern' : 'insight', `m${i}`));
    let added = 0;
    const read = await readAll<{ id: string }>(
      'GET /api/agents/:agent/memories',
      { params: { agent: 'scout' }, query: { limit: '3' } },
      async () => {
        added++;
        await insertMemory('scout', 'insight', `late${added}`);
      },
    );
    const ids = read.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...original].reverse());

    const patterns = await readAll<{ type: string }>('GET /api/agents/:agent/memories', {
      params: { agent: 'scout' },
      query: { type: 'pattern' },
    });
    expect(patterns.map((m) => m.type)).toEqual(['pattern', 'pattern', 'pattern']);
  });

  it('refuses an unknown agent, memory type, a limit over 200 and a forged cursor', async () => {
    const memories = 'GET /api/agents/:agent/memories';
    await expect(call(memories, { params: { agent: 'mallory' } })).rejects.toBeInstanceOf(ZodError);
    await expect(
      call(memories, { params: { agent: 'scout' }, query: { type: 'gossip' } }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      call(memories, { params: { agent: 'scout' }, query: { limit: '201' } }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      call(memories, { params: { agent: 'scout' }, query: { cursor: 'bm90LWpzb24' } }),
    ).rejects.toThrow(InputError);
  });

  it('lists the 15 relationship pairs with affinity and drift', async () => {
    const body = await call<{
      items: { agentA: string; agentB: string; affinity: string; drift: unknown[] }[];
    }>('GET /api/relationships');
    expect(body.items).toHaveLength(15);
    expect(body.items.every((r) => r.agentA < r.agentB && /^0\.\d\d$/.test(r.affinity))).toBe(true);
  });

  it('pages conversations and returns one with its transcript; an unknown id is a 404', async () => {
    const ids = [await insertConversation('a'), await insertConversation('b'), await insertConversation('c')];
    const listed = await readAll<{ id: string }>('GET /api/conversations', { query: { limit: '2' } });
    expect(listed.map((c) => c.id)).toEqual([...ids].reverse());
    const one = await call<{ transcript: { agent: string }[]; outcome: unknown }>(
      'GET /api/conversations/:id',
      {
        params: { id: ids[0] },
      },
    );
    expect(one.transcript.map((t) => t.agent)).toEqual(['atlas', 'sage']);
    expect(one.outcome).toEqual({ consensus: 'undecided', summary: 'split' });
    await expect(
      call('GET /api/conversations/:id', { params: { id: '00000000-0000-4000-8000-000000000000' } }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  describe('events', () => {
    const insertHalt = (scope: 'crypto' | 'futures') =>
      appendEvent(db.pool, {
        type: 'halt_changed',
        aggregateType: 'halt',
        aggregateId: scope,
        market: scope,
        payload: { scope, halted: true, reason: 'test', by: 'test' },
      });

    it('pages newest first, and oldest first after `after`, with no duplicate or gap under inserts', async () => {
      const before = await db.pool.query<{ id: string }>(
        `select coalesce(max(id), 0)::text as id from atc.events`,
      );
      const inserted: string[] = [];
      for (let i = 0; i < 5; i++) inserted.push(await insertHalt('crypto'));
      const newest = await call<Page<{ id: string }>>('GET /api/events', { query: { limit: '2' } });
      expect(newest.items.map((e) => e.id)).toEqual([inserted[4], inserted[3]]);

      const late: string[] = [];
      const ascending = await readAll<{ id: string }>(
        'GET /api/events',
        { query: { after: before.rows[0]!.id, limit: '2', type: 'halt_changed' } },
        async () => {
          if (late.length < 2) late.push(await insertHalt('crypto'));
        },
      );
      // Ascending pages continue into what arrived meanwhile: every event once, in id order.
      expect(ascending.map((e) => e.id)).toEqual([...inserted, ...late]);
    });

    it('filters by type (repeated or comma list), market and time, and refuses an unknown type', async () => {
      await insertHalt('futures');
      await setPolicy(db.pool, {
        key: 'quotas',
        value: { maxDailyAnalyses: 9, maxDailyRoundtables: 3 },
        by: 'test',
      });
      const futures = await readAll<{ market: string }>('GET /api/events', { query: { market: 'futures' } });
      expect(futures.length).toBeGreaterThan(0);
      expect(futures.every((e) => e.market === 'futures')).toBe(true);
      const both = await readAll<{ type: string }>('GET /api/events', {
        query: { type: 'policy_changed,halt_changed' },
      });
      const repeated = await readAll<{ type: string }>('GET /api/events', {
        query: { type: ['policy_changed', 'halt_changed'] },
      });
      expect(repeated).toEqual(both);
      expect(new Set(both.map((e) => e.type))).toEqual(new Set(['policy_changed', 'halt_changed']));
      const future = await call<Page<unknown>>('GET /api/events', {
        query: { from: '2999-01-01T00:00:00Z' },
      });
      expect(future.items).toEqual([]);
      const past = await call<Page<unknown>>('GET /api/events', { query: { to: '2000-01-01T00:00:00Z' } });
      expect(past.items).toEqual([]);
      await expect(call('GET /api/events', { query: { type: 'halt_changed,made_up' } })).rejects.toThrow(
        /must be one of/,
      );
      await expect(
        call('GET /api/events', { query: { after: '99999999999999999999' } }),
      ).rejects.toBeInstanceOf(ZodError);
    });
  });

  describe('audit', () => {
    it('verifies the chain with the same function as `atc audit verify`', async () => {
      const body = await call<{ ok: boolean; checked: number }>('GET /api/audit/verify');
      expect(body.ok).toBe(true);
      const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from atc.audit_log`);
      expect(body.checked).toBe(rows[0]!.n);
    });

    it('pages entries newest first and filters by actor', async () => {
      for (let i = 0; i < 3; i++) {
        await setPolicy(db.pool, {
          key: 'quotas',
          value: { maxDailyAnalyses: 10 + i, maxDailyRoundtables: 3 },
          by: 'audit-reader-test',
        });
      }
      const entries = await readAll<{ id: string; actor: string; action: string }>('GET /api/audit', {
        query: { actor: 'audit-reader-test', limit: '2' },
      });
      expect(entries.map((e) => e.actor)).toEqual([
        'audit-reader-test',
        'audit-reader-test',
        'audit-reader-test',
      ]);
      expect(entries.map((e) => Number(e.id))).toEqual(
        [...entries.map((e) => Number(e.id))].sort((a, b) => b - a),
      );
    });
  });
});
