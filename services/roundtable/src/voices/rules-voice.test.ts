import type { RoomFigures } from '../roundtable-voices';
import type { TurnRequest } from './agent-voice';
import { createRulesVoice, RULES_PROMPT_VERSION } from './rules-voice';

/** A room near its daily loss limit (sage cautions) where SOL moved 5 % (intel supports). */
const room: RoomFigures = {
  risk: {
    study: 'risk',
    policyVersion: 1,
    openPositions: 1,
    maxOpenPositions: 5,
    exposureUsd: '50',
    maxTotalExposureUsd: '120',
    exposureUtilisation: '0.4167',
    exposureByMarket: {},
    tradingDay: '2031-05-06',
    realisedPnlToday: '-55',
    realisedLossToday: '55',
    maxDailyLossUsd: '60',
    dailyLossUtilisation: '0.9167',
    halted: false,
  },
  performance: {
    study: 'performance',
    market: null,
    windowHours: 24,
    trades: 0,
    wins: 0,
    losses: 0,
    winRate: null,
    realisedPnl: '0',
    averageWinner: null,
    averageLoser: null,
  },
  market: {
    study: 'market',
    market: null,
    windowHours: 24,
    instruments: [
      { market: 'crypto', instrument: 'SOL', samples: 2, last: '105', move: '0.0500', range: '0.0500' },
    ],
  },
  operations: {
    study: 'operations',
    windowHours: 24,
    heartbeatRuns: 3,
    heartbeatFailures: 0,
    queuedSteps: 0,
    runningSteps: 0,
    needsReconciliation: 0,
    failedSteps: 0,
  },
};

const request = (over: Partial<TurnRequest>): TurnRequest => ({
  conversationId: '00000000-0000-4000-8000-000000000001',
  turn: 1,
  agent: 'sage',
  format: 'morning_standup',
  topic: 'Open',
  temperature: 0.6,
  context: [],
  modifiers: [],
  recalled: [],
  room,
  ...over,
});

describe('the rule-based voice', () => {
  const voice = createRulesVoice();

  it('opens with the agent’s own view of the figures, marked rules.v1', async () => {
    const turn = await voice.speak(request({}));
    expect(turn).toMatchObject({ voice: 'rules', promptVersion: RULES_PROMPT_VERSION, stance: 'caution' });
    expect(turn.text).toContain('daily_loss');
    expect(await voice.speak(request({}))).toEqual(turn);
  });

  it('answers the previous speaker once it has spoken: disagreement across stances', async () => {
    const turn = await voice.speak(
      request({
        turn: 3,
        context: [
          { turn: 1, agent: 'sage', text: 'We are near our limits.' },
          { turn: 2, agent: 'intel', text: 'SOL moved.' },
        ],
      }),
    );
    expect(turn.text.startsWith('But intel,')).toBe(true);
  });

  it('gives atlas a next step in a formal format, naming the cautious colleague', async () => {
    const turn = await voice.speak(
      request({
        agent: 'atlas',
        turn: 3,
        context: [
          { turn: 1, agent: 'atlas', text: 'Open.' },
          { turn: 2, agent: 'sage', text: 'We are near our limits.' },
        ],
      }),
    );
    expect(turn.text).toContain('Next step: sage will re-check the risk limits.');
  });

  it('votes its stance: sage opposes firmly (0.85), intel supports, growth without trades abstains', async () => {
    const common = {
      conversationId: 'c',
      format: 'morning_standup' as const,
      topic: 'Open',
      transcript: [],
      room,
    };
    expect(await voice.vote({ ...common, agent: 'sage' })).toMatchObject({
      vote: 'oppose',
      confidence: 0.85,
    });
    expect(await voice.vote({ ...common, agent: 'intel' })).toMatchObject({
      vote: 'support',
      confidence: 0.7,
    });
    expect(await voice.vote({ ...common, agent: 'growth' })).toMatchObject({
      vote: 'abstain',
      confidence: 0.5,
    });
  });

  it('distills a strategy for the convener and one memory per speaker, less sure of a neutral line', async () => {
    const distilled = await voice.distill({
      conversationId: 'c',
      convener: 'atlas',
      format: 'morning_standup',
      topic: 'Open',
      participants: ['atlas', 'sage', 'growth'],
      transcript: [
        { turn: 1, agent: 'sage', text: 'We are near our limits; hold.' },
        { turn: 2, agent: 'growth', text: 'Only 0 closed trades in 24 h; too few to judge.' },
      ],
    });
    expect(distilled.memories.map((m) => [m.agent, m.type, m.confidence])).toEqual([
      ['atlas', 'strategy', 0.8],
      ['sage', 'lesson', 0.6],
      ['growth', 'insight', 0.5],
    ]);
  });
});
