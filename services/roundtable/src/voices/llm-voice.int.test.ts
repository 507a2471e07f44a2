import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { silentLogger, Registry } from '@atc/platform';
import { applySeeds } from '@atc/trading';
import { loadConfig } from '@atc/platform';
import { z } from 'zod';
import { roundtableEnvironment } from '../roundtable.config';
import { createAgentVoice } from './create-voice';
import {
  fakeRules,
  goodVote,
  startLlmHarness,
  turnRequest,
  voteRequest,
  type LlmHarness,
} from './testing/llm-harness';

const now = new Date('2031-05-06T15:00:00Z');

async function counter(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value ?? 0;
}

describe('the LLM voice against the simulator (real PostgreSQL)', () => {
  let db: TestDatabase;
  let h: LlmHarness;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    h = await startLlmHarness(db.pool, now);
  });
  afterEach(() => h.close());

  it('speaks a turn as plain text, post-processed to 120 characters, with turn.v1 and measured usage', async () => {
    await h.script([
      { text: `"${'Stops first. '.repeat(12)}"`, usage: { input_tokens: 250, output_tokens: 40 } },
    ]);
    const turn = await h.voice.speak(turnRequest());
    expect(turn.text).toHaveLength(120);
    expect(turn.text.endsWith('...')).toBe(true);
    expect(turn.text.startsWith('Stops first.')).toBe(true);
    expect(turn).toMatchObject({
      voice: 'llm',
      promptVersion: 'turn.v1',
      stance: 'caution',
      usage: { model: 'claude-sonnet-5', inputTokens: 250, outputTokens: 40, costUsd: '0.00135' },
    });
    expect(turn.fallbackReason).toBeUndefined();
  });

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    await h.script([{ status: 429, retryAfter: 1 }, { toolInput: goodVote }]);
    const vote = await h.voice.vote(voteRequest());
    expect(h.attempts.map((a) => a.status)).toEqual([429, 200]);
    // The SDK waited the server's one second (not its own 0.5 s first backoff).
    expect(h.attempts[1]!.at - h.attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(vote).toMatchObject({ ...goodVote, voice: 'llm', promptVersion: 'vote.v1' });
  });

  it('retries a 529 with backoff, then succeeds', async () => {
    await h.script([{ status: 529 }, { status: 529 }, { toolInput: goodVote }]);
    const vote = await h.voice.vote(voteRequest());
    expect(h.attempts.map((a) => a.status)).toEqual([529, 529, 200]);
    // Backoff grows: 0.5 s then 1 s, each less up to 25 % jitter.
    expect(h.attempts[1]!.at - h.attempts[0]!.at).toBeGreaterThanOrEqual(350);
    expect(h.attempts[2]!.at - h.attempts[1]!.at).toBeGreaterThanOrEqual(700);
    expect(vote).toMatchObject({ vote: 'oppose', voice: 'llm' });
  });

  it('a malformed vote once, then a valid one: the valid vote', async () => {
    await h.script([{ toolInput: { vote: 'maybe', confidence: 2 } }, { toolInput: goodVote }]);
    const vote = await h.voice.vote(voteRequest());
    expect(h.attempts).toHaveLength(2);
    expect(vote).toMatchObject({ ...goodVote, voice: 'llm' });
    expect(vote.fallbackReason).toBeUndefined();
  });

  it('a malformed vote twice: the rule-based vote, invalid_output, both calls billed', async () => {
    await h.script([
      { toolInput: { vote: 'maybe' }, usage: { input_tokens: 100, output_tokens: 10 } },
      { text: 'I refuse to use tools.', usage: { input_tokens: 100, output_tokens: 10 } },
      { toolInput: goodVote },
    ]);
    const vote = await h.voice.vote(voteRequest());
    expect(h.attempts).toHaveLength(2);
    expect(vote).toMatchObject({
      vote: 'abstain',
      reason: 'rules vote',
      voice: 'rules',
      fallbackReason: 'invalid_output',
      usage: { inputTokens: 200, outputTokens: 20 },
    });
    expect(
      await counter(h.registry, 'atc_llm_calls_total', { agent: 'sage', outcome: 'fallback_invalid' }),
    ).toBe(1);
  });

  it('distils memories through the record_memories tool, validated', async () => {
    const memory = { agent: 'sage', type: 'lesson', content: 'Stops held.', confidence: 0.7, tags: ['spy'] };
    await h.script([{ toolInput: { memories: [memory] } }]);
    const distilled = await h.voice.distill({
      conversationId: voteRequest().conversationId,
      convener: 'atlas',
      format: 'morning_standup',
      topic: 'SPY',
      participants: ['atlas', 'sage'],
      transcript: voteRequest().transcript,
    });
    expect(distilled).toMatchObject({ memories: [memory], voice: 'llm', promptVersion: 'distill.v1' });
  });
});

describe('a recorded conversation', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());

  /** Two turns, a vote and a distillation, as a conversation would ask for them. */
  async function converse(h: LlmHarness) {
    const first = await h.voice.speak(turnRequest({ turn: 1, context: [] }));
    const second = await h.voice.speak(
      turnRequest({ turn: 2, agent: 'atlas', context: [{ turn: 1, agent: 'sage', text: first.text }] }),
    );
    const vote = await h.voice.vote(voteRequest());
    const distilled = await h.voice.distill({
      conversationId: voteRequest().conversationId,
      convener: 'atlas',
      format: 'morning_standup',
      topic: 'SPY into the open',
      participants: ['atlas', 'sage'],
      transcript: [
        { turn: 1, agent: 'sage', text: first.text },
        { turn: 2, agent: 'atlas', text: second.text },
      ],
    });
    return { first, second, vote, distilled };
  }

  it('replays byte for byte from its transcript: the same turns, vote and memories, no other answer', async () => {
    const recording = await startLlmHarness(db.pool, now);
    let recorded: Awaited<ReturnType<typeof converse>>;
    try {
      await recording.script([
        { text: 'Where is the stop on SPY?' },
        { text: 'Risk-reward is 2:1; decision: go small.' },
        { toolInput: goodVote },
        {
          toolInput: {
            memories: [{ agent: 'sage', type: 'lesson', content: 'Stops first.', confidence: 0.7, tags: [] }],
          },
        },
      ]);
      recorded = await converse(recording);
    } finally {
      await recording.close();
    }
    const transcript = recording.transcript();
    expect(transcript.exchanges).toHaveLength(4);

    const replay = await startLlmHarness(db.pool, now, {}, transcript);
    try {
      const replayed = await converse(replay);
      expect(replayed).toEqual(recorded);
      expect(replayed.second.text).toBe('Risk-reward is 2:1; decision: go small.');
      expect(replay.transcript().exchanges.map((e) => e.response.body)).toEqual(
        transcript.exchanges.map((e) => e.response.body),
      );
      // A request the transcript does not hold is not answered by anything else.
      const other = await replay.voice.speak(turnRequest({ topic: 'never recorded' }));
      expect(other).toMatchObject({ voice: 'rules', fallbackReason: 'unavailable' });
    } finally {
      await replay.close();
    }
  });
});

describe('choosing the LLM voice, and the API unavailable', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());

  it('a timeout falls back with unavailable; an open breaker falls back without a request', async () => {
    const h = await startLlmHarness(db.pool, now, {
      ANTHROPIC_TIMEOUT_MS: '1000',
      VENUE_MAX_RETRIES: '0',
      BREAKER_FAILURE_THRESHOLD: '1',
    });
    try {
      await h.script([{ delayMs: 1_500, toolInput: goodVote }]);
      const timedOut = await h.voice.vote(voteRequest());
      expect(timedOut).toMatchObject({ voice: 'rules', fallbackReason: 'unavailable' });
      expect(timedOut.usage).toBeUndefined();
      const sent = h.attempts.length;
      const broken = await h.voice.speak(turnRequest());
      expect(broken).toMatchObject({ text: 'rules line', voice: 'rules', fallbackReason: 'unavailable' });
      expect(h.attempts).toHaveLength(sent);
      expect(
        await counter(h.registry, 'atc_llm_calls_total', { agent: 'sage', outcome: 'fallback_unavailable' }),
      ).toBe(2);
    } finally {
      await h.close();
    }
  });

  it("reads the ANTHROPIC_* keys from the worker's parsed config as well as from an environment", async () => {
    const bodies: string[] = [];
    const config = loadConfig(z.object(roundtableEnvironment), {
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/anthropic',
    });
    const voice = createAgentVoice({
      config,
      pool: db.pool,
      registry: new Registry(),
      logger: silentLogger(),
      clock: { now: () => now },
      rules: fakeRules,
      fetch: (_input, init) => {
        bodies.push(typeof init?.body === 'string' ? init.body : '');
        const message = {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-5',
          content: [{ type: 'text', text: 'Agreed.' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 10, output_tokens: 2 },
        };
        return Promise.resolve(
          new Response(JSON.stringify(message), { headers: { 'content-type': 'application/json' } }),
        );
      },
    });
    try {
      expect(await voice.speak(turnRequest())).toMatchObject({ text: 'Agreed.', voice: 'llm' });
      expect(bodies).toHaveLength(1);
      expect(JSON.parse(bodies[0]!)).toMatchObject({ model: 'claude-sonnet-5' });
    } finally {
      voice.close();
    }
  });

  it('without ANTHROPIC_API_KEY every answer is the rule-based voice and nothing is called', async () => {
    let called = 0;
    const voice = createAgentVoice({
      config: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/anthropic' },
      pool: db.pool,
      registry: new Registry(),
      logger: silentLogger(),
      clock: { now: () => now },
      rules: fakeRules,
      fetch: () => {
        called += 1;
        return Promise.reject(new Error('no network'));
      },
    });
    expect(await voice.speak(turnRequest())).toEqual({
      text: 'rules line',
      stance: 'neutral',
      voice: 'rules',
      promptVersion: 'rules.test',
    });
    expect(await voice.vote(voteRequest())).toMatchObject({ voice: 'rules' });
    voice.close();
    expect(called).toBe(0);
  });
});
