import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import type { Registry } from '@atc/platform';
import { applySeeds, defaultPolicies } from '@atc/trading';
import { tunePolicy } from '@atc/trading/testing';
import { goodVote, startLlmHarness, turnRequest, voteRequest, type LlmHarness } from './testing/llm-harness';

// 2031-05-06 15:00 UTC is 11:00 in New York: trading day 2031-05-06.
const now = new Date('2031-05-06T15:00:00Z');
const DAY = '2031-05-06';

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  const match = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value ?? 0;
}

async function budgetEvents(db: TestDatabase) {
  const { rows } = await db.pool.query<{ type: string; agent: string; payload: Record<string, unknown> }>(
    `select type, agent, payload from atc.events where type like 'llm_budget_%' order by id`,
  );
  return rows;
}

/** Budgets of 1000 tokens and 1 USD for every agent (tokens decide). */
async function tokenBudget(db: TestDatabase, dailyTokens: number, dailyCostUsd = '1'): Promise<void> {
  const budgets = Object.fromEntries(
    Object.keys(defaultPolicies.llm.budgets).map((agent) => [agent, { dailyTokens, dailyCostUsd }]),
  ) as typeof defaultPolicies.llm.budgets;
  await tunePolicy(db.pool, 'llm', { budgets });
}

describe('LLM budgets (real PostgreSQL, the simulator scripted)', () => {
  let db: TestDatabase;
  let h: LlmHarness;
  beforeEach(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    h = await startLlmHarness(db.pool, now);
  });
  afterEach(async () => {
    await h.close();
    await db.drop();
  });

  const reply = (input: number, output: number) => ({
    toolInput: goodVote,
    usage: { input_tokens: input, output_tokens: output },
  });

  it('cuts over exactly at 100 %: 500 + 500 of 1000 tokens, the third call is not made', async () => {
    await tokenBudget(db, 1000);
    await h.script([reply(300, 200), reply(300, 200), reply(300, 200)]);
    expect(await h.voice.vote(voteRequest())).toMatchObject({ voice: 'llm' });
    expect(await budgetEvents(db)).toEqual([]);
    expect(await metric(h.registry, 'atc_llm_budget_used_ratio', { agent: 'sage' })).toBe(0.5);

    expect(await h.voice.vote(voteRequest())).toMatchObject({ voice: 'llm' });
    const third = await h.voice.vote(voteRequest());
    expect(third).toMatchObject({ voice: 'rules', fallbackReason: 'budget_exhausted' });
    expect(h.attempts).toHaveLength(2);

    const events = await budgetEvents(db);
    expect(events.map((e) => [e.type, e.agent])).toEqual([
      ['llm_budget_warning', 'sage'],
      ['llm_budget_exhausted', 'sage'],
    ]);
    expect(events[1]!.payload).toMatchObject({
      agent: 'sage',
      day: DAY,
      model: 'claude-sonnet-5',
      tokens: 1000,
      dailyTokens: 1000,
      usedRatio: '1.0000',
    });
    const labels = { agent: 'sage', model: 'claude-sonnet-5' };
    expect(await metric(h.registry, 'atc_llm_tokens_total', { ...labels, direction: 'input' })).toBe(600);
    expect(await metric(h.registry, 'atc_llm_tokens_total', { ...labels, direction: 'output' })).toBe(400);
    // 600 × 3 + 400 × 15 USD per million tokens.
    expect(await metric(h.registry, 'atc_llm_cost_usd_total', labels)).toBeCloseTo(0.0078, 10);
    expect(await metric(h.registry, 'atc_llm_calls_total', { ...labels, outcome: 'ok' })).toBe(2);
    expect(await metric(h.registry, 'atc_llm_calls_total', { ...labels, outcome: 'fallback_budget' })).toBe(
      1,
    );
    expect(await metric(h.registry, 'atc_llm_budget_used_ratio', { agent: 'sage' })).toBe(1);
    const { rows } = await db.pool.query(
      `select day::text, agent, model, calls, input_tokens::int, output_tokens::int, cost_usd::text from atc.llm_usage`,
    );
    expect(rows).toEqual([
      {
        day: DAY,
        agent: 'sage',
        model: 'claude-sonnet-5',
        calls: 2,
        input_tokens: 600,
        output_tokens: 400,
        cost_usd: '0.0078',
      },
    ]);
  });

  it('400 tokens a call: the third call is still made (800 < 1000), the fourth is not; the 80 % warning once', async () => {
    await tokenBudget(db, 1000);
    await h.script([reply(300, 100), reply(300, 100), reply(300, 100), reply(300, 100)]);
    await h.voice.vote(voteRequest());
    expect(await budgetEvents(db)).toEqual([]);
    await h.voice.vote(voteRequest());
    expect((await budgetEvents(db)).map((e) => e.type)).toEqual(['llm_budget_warning']);
    expect(await h.voice.vote(voteRequest())).toMatchObject({ voice: 'llm' });
    expect(await h.voice.vote(voteRequest())).toMatchObject({ fallbackReason: 'budget_exhausted' });
    expect(h.attempts).toHaveLength(3);
    expect((await budgetEvents(db)).map((e) => e.type)).toEqual([
      'llm_budget_warning',
      'llm_budget_exhausted',
    ]);
    // Another agent has its own budget.
    await h.script([reply(300, 100)]);
    expect(await h.voice.vote(voteRequest({ agent: 'atlas' }))).toMatchObject({ voice: 'llm' });
  });

  it('the cost budget cuts over too, and a turn falls back like a vote', async () => {
    // 1 000 000 input tokens of budget, 0.0015 USD: 300 in + 40 out = 0.0015 USD exactly.
    await tokenBudget(db, 1_000_000, '0.0015');
    await h.script([
      { text: 'Where is the stop?', usage: { input_tokens: 300, output_tokens: 40 } },
      { text: 'never sent' },
    ]);
    expect(await h.voice.speak(turnRequest())).toMatchObject({ voice: 'llm', usage: { costUsd: '0.0015' } });
    expect(await h.voice.speak(turnRequest())).toMatchObject({
      text: 'rules line',
      fallbackReason: 'budget_exhausted',
    });
    expect((await budgetEvents(db)).map((e) => e.type)).toEqual([
      'llm_budget_warning',
      'llm_budget_exhausted',
    ]);
  });

  it('a new trading day starts a fresh budget', async () => {
    await tokenBudget(db, 1000);
    await db.pool.query(
      `insert into atc.llm_usage (day, agent, model, calls, input_tokens, output_tokens, cost_usd)
       values ('2031-05-05', 'sage', 'claude-sonnet-5', 9, 5000, 5000, 1)`,
    );
    await h.script([reply(10, 10)]);
    expect(await h.voice.vote(voteRequest())).toMatchObject({ voice: 'llm' });
  });

  it('a model without a price in the policy is never called', async () => {
    await tunePolicy(db.pool, 'llm', {
      pricing: { 'claude-other': { inputUsdPerMTok: '1', outputUsdPerMTok: '1' } },
    });
    expect(await h.voice.vote(voteRequest())).toMatchObject({ fallbackReason: 'budget_exhausted' });
    expect(h.attempts).toHaveLength(0);
  });
});
