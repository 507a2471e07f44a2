import { defaultPolicies } from '@atc/trading';
import type { RoomFigures } from '../roundtable-voices';
import type { TurnRequest } from './agent-voice';
import { costOf, usedRatio } from './llm-budget';
import { acceptsTemperature, stanceOf } from './llm-voice';
import { postProcessTurn, turnPrompt, votePrompt } from './prompt-templates';

const request = (overrides: Partial<TurnRequest> = {}): TurnRequest => ({
  conversationId: '00000000-0000-4000-8000-000000000001',
  turn: 1,
  agent: 'sage',
  format: 'morning_standup',
  topic: 'SPY into the open',
  temperature: 0.6,
  context: [],
  modifiers: [],
  recalled: [],
  // The prompt never reads the room's figures (the rule-based voice does).
  room: {} as RoomFigures,
  ...overrides,
});

describe('turn post-processing (original-system.md §7 step 4)', () => {
  it('trims, strips wrapping quotes, and keeps a line of exactly 120 characters', () => {
    expect(postProcessTurn('  "Where is the stop?"  ')).toBe('Where is the stop?');
    expect(postProcessTurn('“Capital first.”')).toBe('Capital first.');
    const exact = 'x'.repeat(120);
    expect(postProcessTurn(exact)).toBe(exact);
  });

  it('cuts a longer line to 117 characters and "..." (120 in all), and names an empty answer', () => {
    const cut = postProcessTurn('y'.repeat(121));
    expect(cut).toBe(`${'y'.repeat(117)}...`);
    expect(cut).toHaveLength(120);
    expect(postProcessTurn('  ""  ')).toBe('[No response generated]');
  });
});

describe('turn.v1 and vote.v1 prompts', () => {
  const persona = defaultPolicies.agents.sage;

  it('opens with "Starting conversation about:" and puts role, directive, tone, modifiers and the limit in the system prompt', () => {
    const prompt = turnPrompt(
      persona,
      request({ modifiers: ['Exercise caution based on past lessons (confidence 0.72)'] }),
    );
    expect(prompt.user).toMatch(/^Starting conversation about: SPY into the open\n/);
    expect(prompt.system).toContain(`Directive: ${persona.directive}`);
    expect(prompt.system).toContain(`Tone: ${persona.tone}.`);
    expect(prompt.system).toContain(
      'Recent insights that influence your thinking: Exercise caution based on past lessons (confidence 0.72)',
    );
    expect(prompt.system).toContain('"Where is the stop?"');
    expect(prompt.system).toContain('under 120 characters');
    expect(prompt.user).toContain('at most 120 characters');
  });

  it('gives only the last five turns as "SPEAKER (turn n): msg", with recalled memories on the topic', () => {
    const context = [1, 2, 3, 4, 5, 6].map((turn) => ({
      turn,
      agent: turn % 2 ? ('atlas' as const) : ('intel' as const),
      text: `line ${turn}`,
    }));
    const prompt = turnPrompt(persona, request({ turn: 7, context, recalled: ['stops held in chop'] }));
    expect(prompt.user).toContain('Topic: SPY into the open [Memory context: stops held in chop]');
    expect(prompt.user).not.toContain('(turn 1)');
    expect(prompt.user).toContain('INTEL (turn 2): line 2\nATLAS (turn 3): line 3');
    expect(prompt.user).toContain('INTEL (turn 6): line 6');
  });

  it('asks for the vote through the cast_vote tool over the whole transcript', () => {
    const prompt = votePrompt(persona, {
      conversationId: request().conversationId,
      agent: 'sage',
      format: 'trade_review',
      topic: 'buy SPY call',
      transcript: [{ turn: 1, agent: 'atlas', text: 'Go.' }],
      room: {} as RoomFigures,
    });
    expect(prompt.user).toContain('ATLAS (turn 1): Go.');
    expect(prompt.user).toContain('cast_vote');
  });
});

describe('budget arithmetic', () => {
  const pricing = { inputUsdPerMTok: '3', outputUsdPerMTok: '15' };
  it('computes cost exactly from measured usage', () => {
    expect(costOf(pricing, 1, 0).toFixed()).toBe('0.000003');
    expect(costOf(pricing, 300, 200).toFixed()).toBe('0.0039');
    // 0.1 + 0.2 in floats is not 0.3; in decimals it is.
    expect(costOf({ inputUsdPerMTok: '0.1', outputUsdPerMTok: '0.2' }, 1_000_000, 1_000_000).toFixed()).toBe(
      '0.3',
    );
  });

  it('takes the larger of the token and cost shares; a zero budget is used up', () => {
    const budget = { dailyTokens: 1000, dailyCostUsd: '0.01' };
    expect(usedRatio({ inputTokens: 300, outputTokens: 200, costUsd: '0.001' }, budget).toFixed()).toBe(
      '0.5',
    );
    expect(usedRatio({ inputTokens: 10, outputTokens: 0, costUsd: '0.009' }, budget).toFixed()).toBe('0.9');
    expect(
      usedRatio({ inputTokens: 0, outputTokens: 0, costUsd: '0' }, { ...budget, dailyTokens: 0 }).toFixed(),
    ).toBe('1');
  });
});

describe('model and stance helpers', () => {
  it('sends temperature only to models that accept it', () => {
    expect(acceptsTemperature('claude-3-5-sonnet-20241022')).toBe(true);
    expect(acceptsTemperature('claude-sonnet-4-5')).toBe(true);
    expect(acceptsTemperature('claude-sonnet-5')).toBe(false);
    expect(acceptsTemperature('claude-opus-4-6')).toBe(false);
  });

  it('reads a stance from the words of a turn', () => {
    expect(stanceOf('Where is the stop?')).toBe('caution');
    expect(stanceOf('Agreed, good setup.')).toBe('support');
    expect(stanceOf('SPY at 601.20 as of 09:31.')).toBe('neutral');
  });
});
