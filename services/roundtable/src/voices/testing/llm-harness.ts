/**
 * For the LLM voice's tests: the real simulator (its Anthropic endpoint scripted per test), the voice
 * built by createAgentVoice against it with a recording fetch, and a fake rule-based voice.
 * @module
 */
import { silentLogger, type Pool, Registry } from '@atc/platform';
import {
  createTranscriptRecorder,
  startSimulator,
  type RunningSimulator,
  type Transcript,
} from '@atc/simulator';
import type { AgentVoice, ConversationLine, TurnRequest, VoteRequest } from '../agent-voice';
import { createAgentVoice, type ClosableVoice } from '../create-voice';
import type { RoomFigures } from '../../roundtable-voices';

/** The fallback: fixed answers that say they are the rules'. */
export const fakeRules: AgentVoice = {
  speak: () =>
    Promise.resolve({ text: 'rules line', stance: 'neutral', voice: 'rules', promptVersion: 'rules.test' }),
  vote: () =>
    Promise.resolve({
      vote: 'abstain',
      confidence: 0.5,
      reason: 'rules vote',
      voice: 'rules',
      promptVersion: 'rules.test',
    }),
  distill: () => Promise.resolve({ memories: [], voice: 'rules', promptVersion: 'rules.test' }),
};

export interface Attempt {
  readonly status: number;
  readonly at: number;
}

export interface LlmHarness {
  readonly sim: RunningSimulator;
  readonly voice: ClosableVoice;
  readonly registry: Registry;
  /** Every HTTP attempt the SDK made (retries included), with its status and time. */
  readonly attempts: Attempt[];
  script(responses: readonly Record<string, unknown>[]): Promise<void>;
  /** Every exchange so far, as a transcript file's content. */
  transcript(): Transcript;
  close(): Promise<void>;
}

/** `replay`: the simulator answers only from this transcript. */
export async function startLlmHarness(
  pool: Pool,
  now: Date,
  env: Record<string, string> = {},
  replay?: Transcript,
): Promise<LlmHarness> {
  const sim = await startSimulator({ port: 0, seed: 3, ...(replay ? { anthropicTranscript: replay } : {}) });
  const recorder = createTranscriptRecorder();
  const registry = new Registry();
  const attempts: Attempt[] = [];
  const voice = createAgentVoice({
    config: {
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: `${sim.url}/anthropic`,
      ANTHROPIC_MODEL: 'claude-sonnet-5',
      ANTHROPIC_TIMEOUT_MS: '5000',
      VENUE_MAX_RETRIES: '3',
      ...env,
    },
    pool,
    registry,
    logger: silentLogger(),
    clock: { now: () => now },
    rules: fakeRules,
    fetch: async (input, init) => {
      try {
        const res = await recorder.fetch(input, init);
        attempts.push({ status: res.status, at: performance.now() });
        return res;
      } catch (error) {
        attempts.push({ status: 0, at: performance.now() });
        throw error;
      }
    },
  });
  return {
    sim,
    voice,
    registry,
    attempts,
    script: async (responses) => {
      const res = await fetch(`${sim.url}/_sim/anthropic/script`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ responses }),
      });
      if (res.status !== 201) throw new Error(`script refused: ${await res.text()}`);
    },
    transcript: () => recorder.transcript(),
    close: async () => {
      voice.close();
      await sim.close();
    },
  };
}

const transcript: readonly ConversationLine[] = [
  { turn: 1, agent: 'atlas', text: 'Long SPY into the open?' },
  { turn: 2, agent: 'sage', text: 'Only with a stop at 598.' },
];

// The LLM voice never reads the room's figures (only the rule-based voice does).
const room = {} as RoomFigures;

export function voteRequest(overrides: Partial<VoteRequest> = {}): VoteRequest {
  return {
    conversationId: '00000000-0000-4000-8000-0000000000aa',
    agent: 'sage',
    format: 'trade_review',
    topic: 'buy 1 SPY call',
    transcript,
    room,
    ...overrides,
  };
}

export function turnRequest(overrides: Partial<TurnRequest> = {}): TurnRequest {
  return {
    conversationId: '00000000-0000-4000-8000-0000000000aa',
    turn: 3,
    agent: 'sage',
    format: 'morning_standup',
    topic: 'SPY into the open',
    temperature: 0.6,
    context: transcript,
    modifiers: [],
    recalled: [],
    room,
    ...overrides,
  };
}

/** A valid cast_vote input. */
export const goodVote = { vote: 'oppose', confidence: 0.8, reason: 'No stop, no trade.' };
