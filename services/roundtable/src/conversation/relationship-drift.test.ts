import fc from 'fast-check';
import type { Agent } from '@atc/contracts';
import {
  classifyReply,
  interactionsOf,
  nextAffinity,
  pairDrifts,
  sentimentOf,
  type SpokenLine,
} from './relationship-drift';

const AGENTS: Agent[] = ['atlas', 'sage', 'scout', 'growth', 'intel', 'observer'];
const WORDS = [
  'Agreed.',
  'Exactly right.',
  'But no.',
  'However,',
  'I support that.',
  'Why?',
  'Prices are flat.',
  'Good point',
];
const lineArb: fc.Arbitrary<SpokenLine> = fc.record({
  agent: fc.constantFrom(...AGENTS),
  text: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
});

describe('relationship drift', () => {
  it('stays within ±0.03 a conversation and [0.10, 0.95] over any sequence of conversations', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 0.95, noNaN: true }).map((a) => Math.round(a * 100) / 100),
        fc.array(fc.array(lineArb, { minLength: 2, maxLength: 16 }), { minLength: 1, maxLength: 40 }),
        (start, conversations) => {
          let affinity = start;
          for (const lines of conversations) {
            const participants = [...new Set(lines.map((l) => l.agent))];
            for (const d of pairDrifts(participants, lines, 0.03)) {
              expect(Math.abs(d.drift)).toBeLessThanOrEqual(0.03);
            }
            const first = pairDrifts(['atlas', 'sage'], lines, 0.03)[0]!;
            const next = nextAffinity(affinity, first.drift, 0.1, 0.95);
            expect(Math.abs(next - affinity)).toBeLessThanOrEqual(0.03 + 1e-9);
            expect(next).toBeGreaterThanOrEqual(0.1);
            expect(next).toBeLessThanOrEqual(0.95);
            affinity = next;
          }
        },
      ),
    );
  });

  it('classifies whole words: "now" is not "no", "But" is disagreement', () => {
    expect(classifyReply('Prices now look fine')).toBeUndefined();
    expect(classifyReply('But the stops are wide')?.kind).toBe('disagreement');
    expect(classifyReply('Agreed, exactly')?.kind).toBe('agreement');
    expect(classifyReply('What about the spread?')?.kind).toBe('challenge');
  });

  it('brings a pair that agrees closer and pushes a pair that disagrees apart', () => {
    const agreeing = [
      { agent: 'atlas' as const, text: 'We go.' },
      { agent: 'sage' as const, text: 'Agreed.' },
      { agent: 'atlas' as const, text: 'Exactly.' },
    ];
    expect(sentimentOf(interactionsOf(agreeing))).toBe(1);
    expect(pairDrifts(['atlas', 'sage'], agreeing, 0.03)[0]!.drift).toBeGreaterThan(0);
    const arguing = agreeing.map((l, i) => (i === 0 ? l : { ...l, text: 'But no.' }));
    expect(pairDrifts(['atlas', 'sage'], arguing, 0.03)[0]!.drift).toBeLessThan(0);
  });
});
