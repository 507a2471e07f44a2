import fc from 'fast-check';
import type { Agent } from '@atc/contracts';
import { seededRandom } from './seeded-random';
import {
  AFFINITY_WEIGHT,
  chooseSpeaker,
  JITTER_WEIGHT,
  pairKey,
  RECENCY_WEIGHT,
  speakerWeights,
  weightOf,
  type AffinityMap,
} from './speaker-choice';

const AGENTS: Agent[] = ['atlas', 'sage', 'scout', 'growth', 'intel', 'observer'];
const participantsArb = fc.shuffledSubarray(AGENTS, { minLength: 2, maxLength: 6 });
const affinitiesArb: fc.Arbitrary<AffinityMap> = fc
  .array(fc.double({ min: 0.1, max: 0.95, noNaN: true }), { minLength: 15, maxLength: 15 })
  .map((values) => {
    const map: Record<string, number> = {};
    let i = 0;
    for (const [n, a] of AGENTS.entries())
      for (const b of AGENTS.slice(n + 1)) map[pairKey(a, b)] = values[i++]!;
    return map;
  });

/** The speakers of a conversation of `turns` turns, as the engine draws them. */
function converse(participants: Agent[], affinities: AffinityMap, seed: string, turns: number): Agent[] {
  const spoken: Agent[] = [];
  for (let turn = 1; turn <= turns; turn += 1)
    spoken.push(
      chooseSpeaker({
        participants,
        affinities,
        spoken,
        turnsLeft: turns - turn + 1,
        random: seededRandom(`${seed}:turn:${turn}`),
      }),
    );
  return spoken;
}

describe('speaker choice', () => {
  it('never picks the same speaker twice in a row, and only participants', () => {
    fc.assert(
      fc.property(
        participantsArb,
        affinitiesArb,
        fc.string(),
        fc.integer({ min: 1, max: 40 }),
        (p, aff, seed, n) => {
          const spoken = converse(p, aff, seed, n);
          expect(spoken).toHaveLength(n);
          expect(spoken.every((s) => p.includes(s))).toBe(true);
          expect(spoken.every((s, i) => i === 0 || spoken[i - 1] !== s)).toBe(true);
        },
      ),
    );
  });

  it('lets every participant speak in a conversation at least as long as the room', () => {
    fc.assert(
      fc.property(
        participantsArb,
        affinitiesArb,
        fc.string(),
        fc.integer({ min: 0, max: 30 }),
        (p, aff, seed, extra) => {
          const spoken = converse(p, aff, seed, p.length + extra);
          expect(new Set(spoken)).toEqual(new Set(p));
        },
      ),
    );
  });

  it('gives the jitter a real 20 % share: 0.6·affinity + 0.2·recency + 0.2·jitter, jitter uniform in [0, 1]', () => {
    expect(AFFINITY_WEIGHT + RECENCY_WEIGHT + JITTER_WEIGHT).toBeCloseTo(1, 12);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (affinity, recency, jitter) => {
          const w = weightOf('atlas', affinity, recency, jitter).weight;
          const base = weightOf('atlas', affinity, recency, 0).weight;
          expect(w - base).toBeCloseTo(0.2 * jitter, 12);
        },
      ),
    );
    // The weight's whole range is [0, 1]; the jitter alone spans a fifth of it (the original: 4 %).
    expect(weightOf('atlas', 0, 0, 1).weight).toBeCloseTo(0.2, 12);
    expect(weightOf('atlas', 1, 1, 1).weight).toBeCloseTo(1, 12);
  });

  it('draws each candidate’s jitter straight from the random source', () => {
    fc.assert(
      fc.property(
        participantsArb,
        affinitiesArb,
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (p, aff, r) => {
          const weights = speakerWeights({
            participants: p,
            affinities: aff,
            spoken: [],
            turnsLeft: 10,
            random: () => r,
          });
          for (const w of weights) {
            expect(w.jitter).toBe(r);
            expect(w.weight - AFFINITY_WEIGHT * w.affinity - RECENCY_WEIGHT * w.recency).toBeCloseTo(
              0.2 * r,
              12,
            );
          }
        },
      ),
    );
  });

  it('favours the agent with the higher affinity to the room, all else equal', () => {
    const affinities: AffinityMap = {
      [pairKey('atlas', 'sage')]: 0.95,
      [pairKey('atlas', 'intel')]: 0.95,
      [pairKey('intel', 'sage')]: 0.1,
    };
    const counts = new Map<Agent, number>();
    for (let i = 0; i < 2000; i += 1) {
      const agent = chooseSpeaker({
        participants: ['atlas', 'sage', 'intel'],
        affinities,
        spoken: [],
        turnsLeft: 10,
        random: seededRandom(`f${i}`),
      });
      counts.set(agent, (counts.get(agent) ?? 0) + 1);
    }
    expect(counts.get('atlas')!).toBeGreaterThan(counts.get('sage')!);
  });
});
