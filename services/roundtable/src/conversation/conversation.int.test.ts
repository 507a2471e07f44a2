import { randomUUID } from 'node:crypto';
import { Registry, silentLogger, type Queryable } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { conversationFormatSpecs, type Agent } from '@atc/contracts';
import { applySeeds, selectConversation, setPolicy } from '@atc/trading';
import type { ClaimedStep } from '@atc/queue';
import { createAgentStepExecutor } from '../agent-step.executor';
import type { AgentVoice, TurnRequest } from '../voices/agent-voice';
import { createRulesVoice } from '../voices/rules-voice';
import { MEMORY_BANDS } from './conversation-outcome';
import { createConversationMetrics } from './conversation.metrics';

const now = new Date('2031-05-06T15:00:00Z');
const ALL: Agent[] = ['atlas', 'sage', 'intel', 'scout', 'growth', 'observer'];

/** A roundtable step of a mission whose proposal is `agent`'s; returns it as a claim would. */
async function roundtableStep(db: Queryable, payload: Record<string, unknown>): Promise<ClaimedStep> {
  const proposal = await db.query<{ id: string }>(
    `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash, status)
     values ('agent', $1::text, 'atlas', 'roundtable', 0.9, '{}'::jsonb, repeat('0', 64), 'approved') returning id`,
    [`fixture-${randomUUID()}`],
  );
  const mission = await db.query<{ id: string }>(
    `insert into atc.missions (proposal_id, title) values ($1::uuid, 'roundtable') returning id`,
    [proposal.rows[0]!.id],
  );
  const full = { kind: 'roundtable', ...payload };
  const step = await db.query<{ id: string }>(
    `insert into atc.steps (mission_id, seq, kind, market, payload) values ($1::uuid, 0, 'roundtable', null, $2::jsonb) returning id`,
    [mission.rows[0]!.id, JSON.stringify(full)],
  );
  return {
    id: step.rows[0]!.id,
    missionId: mission.rows[0]!.id,
    kind: 'roundtable',
    market: null,
    attempt: 1,
    maxAttempts: 3,
    payload: full,
    leaseOwner: 'test',
    leaseExpiresAt: now,
  };
}

const contextOf = (signal = new AbortController().signal) => ({
  lease: { stepId: '', workerId: 'test', attempt: 1 },
  signal,
  logger: silentLogger(),
});

/** The rules voice, with some turns' words replaced. */
function scriptedVoice(say: (request: TurnRequest) => string | undefined): AgentVoice {
  const rules = createRulesVoice();
  return {
    ...rules,
    speak: async (request) => {
      const spoken = await rules.speak(request);
      const text = say(request);
      return text === undefined ? spoken : { ...spoken, text };
    },
  };
}

/** A voice that fails at turn `failAt` (a crash, a timeout): the attempt ends there. */
function failingVoice(failAt: number): AgentVoice {
  const rules = createRulesVoice();
  return {
    ...rules,
    speak: async (request) => {
      if (request.turn === failAt) throw new Error(`voice lost at turn ${request.turn}`);
      return rules.speak(request);
    },
  };
}

describe('the conversation engine (real PostgreSQL)', () => {
  let db: TestDatabase;
  const executorWith = (voice: AgentVoice) =>
    createAgentStepExecutor({ pool: db.pool, clock: { now: () => now }, voice });
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(
      'truncate atc.steps, atc.missions, atc.proposals, atc.events, atc.memories, atc.conversations, atc.price_samples cascade',
    );
    await db.pool.query(
      `insert into atc.price_samples (market, instrument, last, sampled_at)
       values ('crypto', 'SOL', 100, $1::timestamptz - interval '1 hour'), ('crypto', 'SOL', 103, $1::timestamptz)`,
      [now],
    );
  });

  const turnsOf = async (conversationId: string) =>
    (
      await db.pool.query<{ turn: number; agent: Agent; text: string }>(
        'select turn, agent, text from atc.conversation_turns where conversation_id = $1::uuid order by turn',
        [conversationId],
      )
    ).rows;
  const conversationOf = async (stepId: string) =>
    (
      await db.pool.query<{
        id: string;
        status: string;
        planned_turns: number;
        outcome: Record<string, unknown>;
      }>('select id, status, planned_turns, outcome from atc.conversations where step_id = $1::uuid', [
        stepId,
      ])
    ).rows;
  const eventCount = async (type: string) =>
    (await db.pool.query<{ n: number }>('select count(*)::int as n from atc.events where type = $1', [type]))
      .rows[0]!.n;

  it('a morning standup: a stored conversation of the drawn length, from its participants, with votes, memories, drift and events', async () => {
    const step = await roundtableStep(db.pool, {
      format: 'morning_standup',
      participants: ALL,
      topic: 'Open',
    });
    // The speakers are drawn from the (random) step id; turn 2 agreeing with turn 1 makes sure at
    // least one pair has an exchange to drift on, whoever they are.
    const voice = scriptedVoice((r) => (r.turn === 2 ? 'Agreed, exactly.' : undefined));
    const outcome = await executorWith(voice)(step, contextOf());
    expect(outcome).toMatchObject({ type: 'succeeded', result: { format: 'morning_standup' } });
    const [conversation] = await conversationOf(step.id);
    expect(conversation!.status).toBe('succeeded');
    const spec = conversationFormatSpecs.morning_standup;
    expect(conversation!.planned_turns).toBeGreaterThanOrEqual(spec.minTurns);
    expect(conversation!.planned_turns).toBeLessThanOrEqual(spec.maxTurns);
    const turns = await turnsOf(conversation!.id);
    expect(turns.map((t) => t.turn)).toEqual(
      Array.from({ length: conversation!.planned_turns }, (_, i) => i + 1),
    );
    expect(turns.every((t) => ALL.includes(t.agent) && t.text.length <= 120)).toBe(true);
    expect(turns.every((t, i) => i === 0 || turns[i - 1]!.agent !== t.agent)).toBe(true);
    // Six participants and at least six turns: everyone speaks.
    expect(new Set(turns.map((t) => t.agent)).size).toBe(6);

    const votes = await db.pool.query<{ agent: string; vote: string }>(
      'select agent, vote from atc.conversation_votes where conversation_id = $1::uuid',
      [conversation!.id],
    );
    expect(votes.rows.map((v) => v.agent).sort()).toEqual([...ALL].sort());
    // SOL moved 3 %: intel supports; sage has room under the limits and supports too.
    expect(votes.rows.find((v) => v.agent === 'intel')!.vote).toBe('support');

    const memories = await db.pool.query<{ type: keyof typeof MEMORY_BANDS; confidence: string }>(
      `select type, confidence::text from atc.memories where source_trace_id like 'conversation:' || $1 || ':%'`,
      [conversation!.id],
    );
    expect(memories.rows.length).toBeGreaterThan(0);
    expect(memories.rows.length).toBeLessThanOrEqual(6);
    for (const m of memories.rows) {
      const [low, high] = MEMORY_BANDS[m.type];
      expect(Number(m.confidence)).toBeGreaterThanOrEqual(low);
      expect(Number(m.confidence)).toBeLessThanOrEqual(high);
    }

    const drifted = await db.pool.query<{ n: number; interactions: number }>(
      `select count(*) filter (where drift_log @> jsonb_build_array(jsonb_build_object('conversationId', $1::text)))::int as n,
              sum(total_interactions)::int as interactions
         from atc.relationships`,
      [conversation!.id],
    );
    expect(drifted.rows[0]!.n).toBeGreaterThan(0);
    expect(drifted.rows[0]!.interactions).toBeGreaterThan(0);

    expect(await eventCount('conversation_started')).toBe(1);
    expect(await eventCount('conversation_turn')).toBe(turns.length);
    expect(await eventCount('conversation_vote')).toBe(6);
    expect(await eventCount('memory_created')).toBe(memories.rows.length);
    expect(await eventCount('conversation_finished')).toBe(1);
  });

  it.each([1, 3, 5])(
    'a worker killed after %i turns: the next attempt resumes the same conversation, every turn once and in order',
    async (k) => {
      const step = await roundtableStep(db.pool, {
        format: 'post_mortem',
        participants: ['atlas', 'sage', 'scout', 'growth', 'intel'],
        topic: 'Day',
      });
      await expect(executorWith(failingVoice(k + 1))(step, contextOf())).rejects.toThrow(/voice lost/);
      const [interrupted] = await conversationOf(step.id);
      expect(interrupted!.status).toBe('running');
      expect((await turnsOf(interrupted!.id)).map((t) => t.turn)).toEqual(
        Array.from({ length: k }, (_, i) => i + 1),
      );

      const metrics = createConversationMetrics(new Registry());
      const resume = createAgentStepExecutor({
        pool: db.pool,
        clock: { now: () => now },
        voice: createRulesVoice(),
        conversationMetrics: metrics,
      });
      await resume(step, contextOf());
      const after = await conversationOf(step.id);
      const total = async (counter: typeof metrics.turns) =>
        (await counter.get()).values.reduce((sum, v) => sum + v.value, 0);
      // This attempt spoke the turns after k, resumed once and finished the conversation.
      expect(await total(metrics.turns)).toBe(after[0]!.planned_turns - k);
      expect(await total(metrics.resumed)).toBe(1);
      const finished = (await metrics.finished.get()).values;
      expect(finished.map((v) => [v.labels.format, v.value])).toEqual([['post_mortem', 1]]);
      expect(after).toHaveLength(1);
      expect(after[0]!.id).toBe(interrupted!.id);
      expect(after[0]!.status).toBe('succeeded');
      const turns = await turnsOf(after[0]!.id);
      expect(turns.map((t) => t.turn)).toEqual(
        Array.from({ length: after[0]!.planned_turns }, (_, i) => i + 1),
      );
      expect(await eventCount('conversation_turn')).toBe(after[0]!.planned_turns);
      expect(await eventCount('conversation_started')).toBe(1);
    },
  );

  it('a lease lost while turn 4 is spoken abandons that turn; the next attempt speaks it and goes on', async () => {
    const step = await roundtableStep(db.pool, {
      format: 'strategy_session',
      participants: ['atlas', 'sage', 'growth', 'intel'],
      topic: 'Week',
    });
    const lease = new AbortController();
    const rules = createRulesVoice();
    const losing: AgentVoice = {
      ...rules,
      speak: async (request) => {
        if (request.turn === 4) lease.abort(new Error('lease lost'));
        return rules.speak(request);
      },
    };
    await expect(executorWith(losing)(step, contextOf(lease.signal))).rejects.toThrow(/lease lost/);
    const [conversation] = await conversationOf(step.id);
    expect((await turnsOf(conversation!.id)).length).toBe(3);
    // The API's transcript (GET /api/conversations/:id) shows a running conversation's turns so far.
    const live = await selectConversation(db.pool, conversation!.id);
    expect(live!.status).toBe('running');
    expect((live!.transcript as { turn: number }[]).map((t) => t.turn)).toEqual([1, 2, 3]);
    await executorWith(createRulesVoice())(step, contextOf());
    const turns = await turnsOf(conversation!.id);
    expect(turns.map((t) => t.turn)).toEqual(
      Array.from({ length: conversation!.planned_turns }, (_, i) => i + 1),
    );
  });

  it('a voice that hangs: the lost lease ends the attempt at once, and the next one speaks that turn', async () => {
    const step = await roundtableStep(db.pool, {
      format: 'position_review',
      participants: ['atlas', 'sage', 'scout'],
      topic: 'Book',
    });
    const lease = new AbortController();
    const rules = createRulesVoice();
    let reached!: () => void;
    const hung = new Promise<void>((resolve) => (reached = resolve));
    const hanging: AgentVoice = {
      ...rules,
      speak: (request) => {
        if (request.turn < 3) return rules.speak(request);
        reached();
        return new Promise(() => undefined); // never answers
      },
    };
    const attempt = executorWith(hanging)(step, contextOf(lease.signal));
    await hung;
    lease.abort(new Error('lease lost'));
    await expect(attempt).rejects.toThrow(/lease lost/);
    const [conversation] = await conversationOf(step.id);
    expect((await turnsOf(conversation!.id)).map((t) => t.turn)).toEqual([1, 2]);
    await executorWith(createRulesVoice())(step, contextOf());
    const turns = await turnsOf(conversation!.id);
    expect(turns.map((t) => t.turn)).toEqual(
      Array.from({ length: conversation!.planned_turns }, (_, i) => i + 1),
    );
  });

  it('two attempts racing the same step write each turn once and finish once', async () => {
    const step = await roundtableStep(db.pool, {
      format: 'debate',
      participants: ['atlas', 'intel', 'sage'],
      topic: 'Momentum',
    });
    const execute = executorWith(createRulesVoice());
    const [a, b] = await Promise.all([execute(step, contextOf()), execute(step, contextOf())]);
    expect(b).toEqual(a);
    const [conversation] = await conversationOf(step.id);
    const turns = await turnsOf(conversation!.id);
    expect(turns.map((t) => t.turn)).toEqual(
      Array.from({ length: conversation!.planned_turns }, (_, i) => i + 1),
    );
    expect(await eventCount('conversation_turn')).toBe(turns.length);
    expect(await eventCount('conversation_finished')).toBe(1);
    expect(await eventCount('conversation_vote')).toBe(3);
  });

  it('an action item becomes exactly one analyze proposal, however often and concurrently the step is retried', async () => {
    const step = await roundtableStep(db.pool, {
      format: 'morning_standup',
      participants: ['atlas', 'sage', 'intel', 'scout'],
      topic: 'Open',
    });
    const voice = scriptedVoice((r) =>
      r.turn === 2 ? 'We should re-check SOL before the open. Fine otherwise.' : undefined,
    );
    const execute = executorWith(voice);
    const [a, b] = await Promise.all([execute(step, contextOf()), execute(step, contextOf())]);
    const c = await execute(step, contextOf());
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const proposals = await db.pool.query<{
      id: string;
      source_trace_id: string;
      agent: string;
      content: { steps: unknown[] };
    }>(`select id, source_trace_id, agent, content from atc.proposals where source = 'roundtable'`);
    const [conversation] = await conversationOf(step.id);
    const first = proposals.rows.find(
      (p) => p.source_trace_id === `conversation:${conversation!.id}:action:0`,
    );
    expect(first).toBeDefined();
    expect(first!.content.steps).toEqual([
      {
        kind: 'analyze',
        topic: 'We should re-check SOL before the open.',
        details: { conversationId: conversation!.id, actionItem: 0 },
      },
    ]);
    expect(new Set(proposals.rows.map((p) => p.source_trace_id)).size).toBe(proposals.rows.length);
    expect(proposals.rows.length).toBeLessThanOrEqual(3);
    expect(await eventCount('action_item_proposed')).toBe(proposals.rows.length);
    // It went through the gates like any proposal: decided, not left pending.
    const decided = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from atc.proposals where source = 'roundtable' and status = 'pending'`,
    );
    expect(decided.rows[0]!.n).toBe(0);
    const result = (a as { result: { actionItems: { proposalId: string }[] } }).result;
    expect(result.actionItems.map((i) => i.proposalId)).toContain(first!.id);
  });

  it('feeds each speaker’s memories into its turn: recalled by the influence policy, and a strong lesson marks the words', async () => {
    const influence = {
      enabled: true,
      probability: 1,
      minConfidence: 0.6,
      typesUsed: ['strategy', 'lesson', 'pattern'],
    };
    await setPolicy(db.pool, { key: 'memory_influence', value: influence, by: 'test' });
    try {
      for (const agent of ['scout', 'intel']) {
        await db.pool.query(
          `insert into atc.memories (agent, type, content, confidence, tags, created_at)
           values ($1::text, 'lesson', 'Slippage on fills hurt us at the open', 0.90, '{fills}', $2::timestamptz)`,
          [agent, now],
        );
      }
      const seen: TurnRequest[] = [];
      const rules = createRulesVoice();
      const spy: AgentVoice = {
        ...rules,
        speak: (request) => {
          seen.push(request);
          return rules.speak(request);
        },
      };
      const step = await roundtableStep(db.pool, {
        format: 'watercooler',
        participants: ['scout', 'intel'],
        topic: 'Slippage on fills',
      });
      await executorWith(spy)(step, contextOf());
      expect(seen.length).toBeGreaterThanOrEqual(3);
      for (const request of seen) {
        expect(request.recalled).toEqual(['Slippage on fills hurt us at the open']);
        expect(request.modifiers).toEqual(['Exercise caution based on past lessons (confidence 0.90)']);
        expect(request.context.length).toBe(Math.min(5, request.turn - 1));
      }
      const [conversation] = await conversationOf(step.id);
      const turns = await turnsOf(conversation!.id);
      expect(turns.every((t) => t.text.startsWith('[Caution advised] '))).toBe(true);
    } finally {
      await setPolicy(db.pool, {
        key: 'memory_influence',
        value: { ...influence, probability: 0.3 },
        by: 'test',
      });
    }
  });

  it('a casual format proposes nothing', async () => {
    const step = await roundtableStep(db.pool, {
      format: 'watercooler',
      participants: ['scout', 'intel'],
      topic: 'Fills',
    });
    const voice = scriptedVoice(() => 'We should trade more.');
    await executorWith(voice)(step, contextOf());
    const proposals = await db.pool.query(`select 1 from atc.proposals where source = 'roundtable'`);
    expect(proposals.rowCount).toBe(0);
  });
});
