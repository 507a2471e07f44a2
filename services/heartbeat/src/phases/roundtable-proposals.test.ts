import { conversationFormatSpecs, ProposalInput } from '@atc/contracts';
import { seededRandom } from '@atc/trading';
import { debateParticipants, drawParticipants, drawTopic, roundtableProposal } from './roundtable-proposals';

describe('drawParticipants', () => {
  it.each(['morning_standup', 'position_review', 'post_mortem', 'strategy_session', 'watercooler'] as const)(
    '%s: the required, then optional ones up to a count within [min, max], no one twice',
    (format) => {
      const spec = conversationFormatSpecs[format];
      const counts = new Set<number>();
      for (let seed = 0; seed < 200; seed++) {
        const participants = drawParticipants(spec, seededRandom(seed));
        expect(participants.slice(0, spec.required.length)).toEqual([...spec.required]);
        expect(new Set(participants).size).toBe(participants.length);
        for (const agent of participants) expect([...spec.required, ...spec.optional]).toContain(agent);
        expect(participants.length).toBeGreaterThanOrEqual(spec.minParticipants);
        expect(participants.length).toBeLessThanOrEqual(spec.maxParticipants);
        counts.add(participants.length);
      }
      // Every count in the range is drawn.
      expect([...counts].sort()).toEqual(
        Array.from(
          { length: spec.maxParticipants - spec.minParticipants + 1 },
          (_, i) => spec.minParticipants + i,
        ),
      );
    },
  );

  it('is reproducible from the seed', () => {
    const spec = conversationFormatSpecs.watercooler;
    expect(drawParticipants(spec, seededRandom(7))).toEqual(drawParticipants(spec, seededRandom(7)));
  });
});

describe('debateParticipants', () => {
  it('adds the first other agent in the agents’ order as mediator', () => {
    expect(debateParticipants('atlas', 'intel')).toEqual(['atlas', 'intel', 'sage']);
    expect(debateParticipants('intel', 'sage')).toEqual(['intel', 'sage', 'atlas']);
  });
});

describe('drawTopic and roundtableProposal', () => {
  const book = { openPositions: 2, symbols: ['SOL', 'MES'], unrealisedPnl: '-12.5', realisedPnlSince: '30' };

  it('a review cites the book; a standup keeps the canned topic', () => {
    const review = drawTopic('position_review', seededRandom(1), book);
    expect(review).toMatch(/\[2 open \(SOL, MES\), unrealised -12\.50 USD; realised today 30\.00 USD\]$/);
    expect(conversationFormatSpecs.morning_standup.topics).toContain(
      drawTopic('morning_standup', seededRandom(1), book),
    );
  });

  it('makes a proposal the intake accepts, with one roundtable step', () => {
    const input = roundtableProposal({
      format: 'morning_standup',
      traceId: 'schedule:morning_standup:2026-12-07',
      label: '2026-12-07',
      participants: ['atlas', 'sage', 'intel', 'scout'],
      topic: 'Overnight moves',
      convener: 'atlas',
    });
    expect(ProposalInput.parse(input).steps).toEqual([
      {
        kind: 'roundtable',
        format: 'morning_standup',
        participants: ['atlas', 'sage', 'intel', 'scout'],
        topic: 'Overnight moves',
      },
    ]);
  });
});
