/**
 * Issue 19's acceptance with a real process kill: `atc worker roundtable` speaking with the LLM voice
 * against the simulator's Anthropic endpoint (each answer delayed, so a conversation takes seconds) is
 * SIGKILLed after k ≥ 2 stored turns; the lease expires, the heartbeat's recovery requeues the step,
 * a second worker process claims it and resumes the same conversation at k+1. The resumed
 * conversation has every turn 1..N exactly once, in order. (conversation.int.test.ts shows the same
 * in-process: an aborted attempt, a lost lease.)
 * @module
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { findFreePort } from '@atc/platform';
import {
  bundleForTest,
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runNode,
  type RunningProcess,
  type TestDatabase,
} from '@atc/platform/testing';
import { recoverExpiredLeases } from '@atc/queue';
import { DatabaseChanges } from '@atc/queue/testing';
import { applySeeds } from '@atc/trading';
import { startSimulator, type RunningSimulator } from '@atc/simulator';

const ALL = ['atlas', 'sage', 'intel', 'scout', 'growth', 'observer'];
const LEASE_MS = 2_000;
/** Each Anthropic answer waits this long: a turn takes at least this, the kill lands mid-conversation. */
const ANSWER_DELAY_MS = 300;

describe('a roundtable worker process SIGKILLed mid-conversation', () => {
  let db: TestDatabase;
  let changes: DatabaseChanges;
  let sim: RunningSimulator;
  let cli: string;
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    changes = await DatabaseChanges.listen(db.url);
    sim = await startSimulator({ port: 0, seed: 19 });
    cli = await bundleForTest(path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts'), REPOSITORY_ROOT);
  }, 120_000);
  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await changes?.close();
    await sim?.close();
    await db?.drop();
  });

  const worker = async (id: string): Promise<RunningProcess> => {
    const p = runNode(
      [cli, 'worker', 'roundtable'],
      childEnvironment({
        DATABASE_URL: db.url,
        LOG_LEVEL: 'info',
        DB_POOL_MAX: '4',
        ADMIN_PORT: String(await findFreePort()),
        WORKER_ID: id,
        STEP_LEASE_MS: String(LEASE_MS),
        STEP_LEASE_RENEW_INTERVAL_MS: '500',
        WORKER_POLL_INTERVAL_MS: '100',
        ANTHROPIC_API_KEY: 'sk-sim-test',
        ANTHROPIC_BASE_URL: `${sim.url}/anthropic`,
      }),
    );
    processes.push(p);
    return p;
  };

  /** A queued roundtable step (a morning standup of all six) of a mission whose proposal is atlas's. */
  async function queueStandup(): Promise<string> {
    const proposal = await db.pool.query<{ id: string }>(
      `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash, status)
       values ('agent', $1::text, 'atlas', 'roundtable', 0.9, '{}'::jsonb, repeat('0', 64), 'approved') returning id`,
      [`fixture-${randomUUID()}`],
    );
    const mission = await db.pool.query<{ id: string }>(
      `insert into atc.missions (proposal_id, title) values ($1::uuid, 'roundtable') returning id`,
      [proposal.rows[0]!.id],
    );
    const payload = { kind: 'roundtable', format: 'morning_standup', participants: ALL, topic: 'Open' };
    const step = await db.pool.query<{ id: string }>(
      `insert into atc.steps (mission_id, seq, kind, market, payload)
       values ($1::uuid, 0, 'roundtable', null, $2::jsonb) returning id`,
      [mission.rows[0]!.id, JSON.stringify(payload)],
    );
    return step.rows[0]!.id;
  }

  const conversationsOf = async (stepId: string) =>
    (
      await db.pool.query<{ id: string; status: string; planned_turns: number }>(
        'select id, status, planned_turns from atc.conversations where step_id = $1::uuid',
        [stepId],
      )
    ).rows;
  const turnsOf = async (conversationId: string) =>
    (
      await db.pool.query<{ conversation_id: string; turn: number; agent: string; voice: string }>(
        `select conversation_id, turn, agent, voice from atc.conversation_turns
          where conversation_id = $1::uuid order by turn, created_at`,
        [conversationId],
      )
    ).rows;

  it('the second worker resumes at turn k+1: turns 1..N each once, in order, one conversation, one vote each', async () => {
    const started = Date.now();
    // Every answer slowed: text for the turns; a vote or memory call given text falls back to the rules voice.
    const script = await fetch(`${sim.url}/_sim/anthropic/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        responses: Array.from({ length: 60 }, () => ({
          delayMs: ANSWER_DELAY_MS,
          text: 'We should watch exposure before the open.',
        })),
      }),
    });
    expect(script.ok).toBe(true);
    const stepId = await queueStandup();

    const victim = await worker('roundtable-victim');
    let conversationId = '';
    let planned = 0;
    let turnsBeforeKill = 0;
    await changes.until(
      'the first worker has stored at least two turns',
      async () => {
        const [conversation] = await conversationsOf(stepId);
        if (!conversation) return false;
        conversationId = conversation.id;
        planned = conversation.planned_turns;
        turnsBeforeKill = (await turnsOf(conversation.id)).length;
        return turnsBeforeKill >= 2;
      },
      { deadlineMs: 30_000 },
    );
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    // What the dead worker left: turns 1..k, fewer than planned (the kill landed mid-conversation).
    const left = await turnsOf(conversationId);
    turnsBeforeKill = left.length;
    expect(turnsBeforeKill).toBeGreaterThanOrEqual(2);
    expect(turnsBeforeKill).toBeLessThan(planned);
    expect(left.map((t) => t.turn)).toEqual(Array.from({ length: turnsBeforeKill }, (_, i) => i + 1));
    expect((await conversationsOf(stepId))[0]!.status).toBe('running');

    // Nobody renews the dead worker's lease: once it runs out, the heartbeat's recovery (called here
    // as its maintenance phase would) requeues the step.
    await changes.until(
      'the dead worker’s lease expired and the step was requeued',
      async () => (await recoverExpiredLeases(db.pool)).some((s) => s.id === stepId),
      { deadlineMs: LEASE_MS + 10_000, recheckMs: 200 },
    );
    const successor = await worker('roundtable-successor');
    await changes.until(
      'the conversation succeeded',
      async () => (await conversationsOf(stepId))[0]?.status === 'succeeded',
      { deadlineMs: 40_000 },
    );
    await changes.until(
      'the step succeeded',
      async () =>
        (
          await db.pool.query<{ status: string }>('select status from atc.steps where id = $1::uuid', [
            stepId,
          ])
        ).rows[0]!.status === 'succeeded',
      { deadlineMs: 10_000 },
    );
    successor.child.kill('SIGTERM');
    await successor.exited;

    // One conversation for the step, the same one the dead worker started.
    const conversations = await conversationsOf(stepId);
    expect(conversations).toEqual([{ id: conversationId, status: 'succeeded', planned_turns: planned }]);
    // Turns 1..N, each once, in order: no duplicate, no missing turn across the kill.
    const turns = await turnsOf(conversationId);
    expect(turns.map((t) => t.turn)).toEqual(Array.from({ length: planned }, (_, i) => i + 1));
    expect(turns.every((t) => t.conversation_id === conversationId)).toBe(true);
    expect(turns.every((t, i) => i === 0 || turns[i - 1]!.agent !== t.agent)).toBe(true);
    // The turns were spoken by the LLM voice (the simulator), not the rules voice.
    expect(turns.every((t) => t.voice === 'llm')).toBe(true);
    const turnEvents = await db.pool.query<{ turn: number }>(
      `select (payload->>'turn')::int as turn from atc.events
        where type = 'conversation_turn' and payload->>'conversationId' = $1 order by 1`,
      [conversationId],
    );
    expect(turnEvents.rows.map((r) => r.turn)).toEqual(turns.map((t) => t.turn));
    // One vote per participant.
    const votes = await db.pool.query<{ agent: string }>(
      'select agent from atc.conversation_votes where conversation_id = $1::uuid order by agent',
      [conversationId],
    );
    expect(votes.rows.map((v) => v.agent)).toEqual([...ALL].sort());
    // The step succeeded once, on its second attempt (the dead worker's was the first).
    const step = await db.pool.query<{ status: string; attempt: number }>(
      'select status, attempt from atc.steps where id = $1::uuid',
      [stepId],
    );
    expect(step.rows[0]).toEqual({ status: 'succeeded', attempt: 2 });
    const finished = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from atc.events where type = 'conversation_finished' and payload->>'conversationId' = $1`,
      [conversationId],
    );
    expect(finished.rows[0]!.n).toBe(1);
    console.log(
      `roundtable kill: ${turnsBeforeKill} turns before the kill, ${planned} planned, ${Date.now() - started} ms`,
    );
  }, 90_000);
});
