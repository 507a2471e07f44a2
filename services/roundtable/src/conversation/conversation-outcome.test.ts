import fc from 'fast-check';
import type { Agent, MemoryType } from '@atc/contracts';
import {
  actionItemsOf,
  bandMemories,
  decide,
  MAX_MEMORIES_PER_CONVERSATION,
  MEMORY_BANDS,
  MIN_MEMORY_CONFIDENCE,
  type AgentVote,
} from './conversation-outcome';
import type { MemoryDraft } from '../voices/agent-voice';

const AGENTS: Agent[] = ['atlas', 'sage', 'scout', 'growth', 'intel', 'observer'];
const TYPES: MemoryType[] = ['insight', 'pattern', 'strategy', 'preference', 'lesson'];
const draftArb: fc.Arbitrary<MemoryDraft> = fc.record({
  agent: fc.constantFrom(...AGENTS),
  type: fc.constantFrom(...TYPES),
  content: fc.constantFrom('a', 'b', 'c', 'stops', 'win rate', 'slippage'),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  tags: fc.constant(['roundtable']),
});

describe('memory bands', () => {
  it('keeps at most six, none below 0.55, each within its type’s band, none twice', () => {
    fc.assert(
      fc.property(fc.array(draftArb, { maxLength: 20 }), (drafts) => {
        const kept = bandMemories(drafts);
        expect(kept.length).toBeLessThanOrEqual(MAX_MEMORIES_PER_CONVERSATION);
        const keys = kept.map((m) => `${m.agent}|${m.type}|${m.content}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const m of kept) {
          const [low, high] = MEMORY_BANDS[m.type];
          expect(m.confidence).toBeGreaterThanOrEqual(low);
          expect(m.confidence).toBeLessThanOrEqual(high);
          // It came from a draft of at least 0.55 before banding.
          expect(
            drafts.some(
              (d) =>
                d.agent === m.agent &&
                d.type === m.type &&
                d.content === m.content &&
                d.confidence >= MIN_MEMORY_CONFIDENCE,
            ),
          ).toBe(true);
        }
      }),
    );
  });

  it('drops a lesson of 0.54 but keeps one of 0.55, and lifts a 0.56 strategy into its band', () => {
    const base = { agent: 'sage' as const, content: 'x', tags: [] };
    expect(bandMemories([{ ...base, type: 'lesson', confidence: 0.54 }])).toEqual([]);
    expect(bandMemories([{ ...base, type: 'lesson', confidence: 0.55 }])[0]!.confidence).toBe(0.55);
    expect(bandMemories([{ ...base, type: 'strategy', confidence: 0.56 }])[0]!.confidence).toBe(0.75);
  });
});

const vote = (agent: Agent, choice: AgentVote['vote']): AgentVote => ({
  agent,
  vote: choice,
  confidence: 0.7,
  reason: 'r',
  voice: 'rules',
  promptVersion: 'rules.v1',
});

describe('the decision', () => {
  it('holds when sage opposes, whatever the majority', () => {
    expect(
      decide([vote('atlas', 'support'), vote('intel', 'support'), vote('sage', 'oppose')], 'atlas'),
    ).toBe('hold');
  });
  it('follows the majority, and the convener on a tie', () => {
    expect(
      decide([vote('atlas', 'support'), vote('intel', 'support'), vote('scout', 'oppose')], 'atlas'),
    ).toBe('proceed');
    expect(decide([vote('atlas', 'oppose'), vote('intel', 'support')], 'atlas')).toBe('hold');
    expect(decide([vote('atlas', 'abstain'), vote('intel', 'abstain')], 'atlas')).toBe('undecided');
  });
});

describe('action items', () => {
  const line = (turn: number, text: string) => ({ turn, agent: 'atlas' as const, text });
  it('takes committing sentences of at most 100 characters, the first three distinct', () => {
    const items = actionItemsOf([
      line(1, 'Ranges are tight. We should size down on SOL.'),
      line(2, `We will ${'x'.repeat(100)}.`),
      line(3, 'Next step: intel will re-check the biggest mover. We should size down on SOL.'),
      line(4, 'TODO: review stops. Action: call the desk. Task: one more.'),
    ]);
    expect(items.map((i) => i.text)).toEqual([
      'We should size down on SOL.',
      'Next step: intel will re-check the biggest mover.',
      'TODO: review stops.',
    ]);
    expect(items.map((i) => i.index)).toEqual([0, 1, 2]);
  });
  it('finds nothing in a conversation that commits to nothing', () => {
    expect(actionItemsOf([line(1, 'Ranges are tight.'), line(2, 'Willing, not able.')])).toEqual([]);
  });
});
