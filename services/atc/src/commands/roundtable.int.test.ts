import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { silentLogger } from '@atc/platform';
import {
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runTypeScript,
  type TestDatabase,
} from '@atc/platform/testing';
import { applySeeds } from '@atc/trading';
import { createAgentStepExecutor, createRulesVoice, type AgentVoice } from '@atc/roundtable';

// `atc roundtable list|show` as an operator runs them, over a conversation the roundtable
// worker's executor stored in a real PostgreSQL.
const cli = path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts');

describe('atc roundtable list | show', () => {
  let db: TestDatabase;
  let conversationId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    const proposal = await db.pool.query<{ id: string }>(
      `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash, status)
       values ('agent', $1::text, 'atlas', 'standup', 0.9, '{}'::jsonb, repeat('0', 64), 'approved') returning id`,
      [`fixture-${randomUUID()}`],
    );
    const mission = await db.pool.query<{ id: string }>(
      `insert into atc.missions (proposal_id, title) values ($1::uuid, 'standup') returning id`,
      [proposal.rows[0]!.id],
    );
    const payload = {
      kind: 'roundtable',
      format: 'morning_standup',
      participants: ['atlas', 'sage', 'intel', 'scout'],
      topic: 'Open',
    };
    const step = await db.pool.query<{ id: string }>(
      `insert into atc.steps (mission_id, seq, kind, market, payload) values ($1::uuid, 0, 'roundtable', null, $2::jsonb) returning id`,
      [mission.rows[0]!.id, JSON.stringify(payload)],
    );
    const rules = createRulesVoice();
    const voice: AgentVoice = {
      ...rules,
      speak: async (request) => {
        const spoken = await rules.speak(request);
        return request.turn === 2
          ? { ...spoken, text: 'Agreed. We should re-check SOL before the open.' }
          : spoken;
      },
    };
    const execute = createAgentStepExecutor({ pool: db.pool, clock: { now: () => new Date() }, voice });
    await execute(
      {
        id: step.rows[0]!.id,
        missionId: mission.rows[0]!.id,
        kind: 'roundtable',
        market: null,
        attempt: 1,
        maxAttempts: 3,
        payload,
        leaseOwner: 'test',
        leaseExpiresAt: new Date(),
      },
      {
        lease: { stepId: step.rows[0]!.id, workerId: 'test', attempt: 1 },
        signal: new AbortController().signal,
        logger: silentLogger(),
      },
    );
    conversationId = (await db.pool.query<{ id: string }>('select id from atc.conversations')).rows[0]!.id;
  });
  afterAll(() => db.drop());

  async function atc(...args: string[]) {
    const run = runTypeScript(cli, args, childEnvironment({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }));
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  }

  it('lists the conversation and shows its transcript, votes, decision, memories, drift and action items', async () => {
    const list = await atc('roundtable', 'list', '--limit', '5', '--format', 'morning_standup', '--json');
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as {
      id: string;
      status: string;
      turns: number;
      plannedTurns: number;
    }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: conversationId, status: 'succeeded' });
    expect(rows[0]!.turns).toBe(rows[0]!.plannedTurns);

    const show = await atc('roundtable', 'show', conversationId);
    expect(show.code).toBe(0);
    const proposal = await db.pool.query<{ id: string }>(
      `select id from atc.proposals where source_trace_id = $1`,
      [`conversation:${conversationId}:action:0`],
    );
    expect(show.stdout).toContain(
      `morning_standup ${conversationId} — succeeded, ${rows[0]!.turns}/${rows[0]!.turns} turns`,
    );
    expect(show.stdout).toMatch(
      /^2\s+\w+\s+rules\s+\w+\s+Agreed\. We should re-check SOL before the open\.$/m,
    );
    expect(show.stdout).toMatch(/votes:\n.*agent\s+vote\s+confidence/);
    expect(show.stdout).toMatch(/decision: (proceed|hold|undecided)/);
    expect(show.stdout).toMatch(/memories:\n.*agent\s+type\s+confidence/);
    expect(show.stdout).toMatch(/drift:\n.*agentA\s+agentB/);
    expect(show.stdout).toContain(proposal.rows[0]!.id);
  });

  it('refuses a bad format (exit 2) and names a conversation that does not exist (exit 1)', async () => {
    expect((await atc('roundtable', 'list', '--format', 'brunch')).code).toBe(2);
    const missing = await atc('roundtable', 'show', '00000000-0000-4000-8000-000000000000');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  });
});
