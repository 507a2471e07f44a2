import {
  finishTurnText,
  NO_RESPONSE,
  recall,
  voiceModifiers,
  type RecallableMemory,
} from './memory-influence';

const now = new Date('2031-05-06T15:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const memory = (over: Partial<RecallableMemory>): RecallableMemory => ({
  type: 'lesson',
  content: 'Stops on SOL were too tight',
  confidence: 0.8,
  tags: ['stops'],
  promoted: false,
  createdAt: daysAgo(1),
  ...over,
});
const policy = {
  enabled: true,
  probability: 0.3,
  minConfidence: 0.6,
  typesUsed: ['strategy', 'lesson', 'pattern'] as const,
};

describe('memory influence', () => {
  it('recalls only on a roll under the probability, only used types at or above the confidence, top three', () => {
    const memories = [
      memory({ content: 'SOL stops one' }),
      memory({ content: 'SOL stops two', type: 'insight' }),
      memory({ content: 'SOL stops three', confidence: 0.5 }),
      memory({ content: 'SOL stops four', type: 'pattern' }),
      memory({ content: 'SOL stops five', type: 'strategy' }),
      memory({ content: 'SOL stops six' }),
    ];
    expect(recall(memories, 'SOL stops', policy, 0.31, now)).toEqual([]);
    const recalled = recall(memories, 'SOL stops', policy, 0.29, now);
    expect(recalled).toHaveLength(3);
    expect(recalled).not.toContain('SOL stops two');
    expect(recalled).not.toContain('SOL stops three');
  });
});

describe('voice evolution', () => {
  it('turns lessons into caution, fading with age and dropped under 0.3', () => {
    const modifiers = voiceModifiers([memory({}), memory({ createdAt: daysAgo(29) })], 'stops', now);
    expect(modifiers).toHaveLength(1);
    expect(modifiers[0]!.kind).toBe('caution');
    expect(modifiers[0]!.line).toBe('Exercise caution based on past lessons (confidence 0.80)');
  });
});

describe('a turn’s text', () => {
  it('is trimmed, unquoted, at most 120 characters (117 and "..."), never empty', () => {
    expect(finishTurnText('  "Hold the line."  ', [])).toBe('Hold the line.');
    const long = finishTurnText('x'.repeat(200), []);
    expect(long).toHaveLength(120);
    expect(long.endsWith('...')).toBe(true);
    expect(finishTurnText('   ', [])).toBe(NO_RESPONSE);
  });
  it('carries a strong caution or emphasis into the words', () => {
    const strong = { strength: 0.75, line: '' };
    expect(finishTurnText('We wait.', [{ ...strong, kind: 'caution' }])).toBe('[Caution advised] We wait.');
    expect(finishTurnText('We go.', [{ ...strong, kind: 'emphasis' }])).toBe('We go!');
    expect(finishTurnText('We go.', [{ ...strong, strength: 0.6, kind: 'emphasis' }])).toBe('We go.');
  });
});
