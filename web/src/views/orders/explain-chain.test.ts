import { OrderExplanation } from '@atc/contracts';
import { timelineOf } from './explain-chain';
import { explanation } from './orders.fixture';

const CHAIN = [
  'signal',
  'proposal',
  'gates',
  'approval',
  'mission',
  'step',
  'intent',
  'venue_order',
  'fills',
  'position',
  'outcome',
];

describe('timelineOf', () => {
  it('lists the eleven links in causal order, the ones not reached pending', () => {
    const links = timelineOf(OrderExplanation.parse(explanation()));
    expect(links.map((link) => link.key)).toEqual(CHAIN);
    expect(links.filter((link) => link.state === 'pending').map((link) => link.key)).toEqual(['outcome']);
    expect(links.find((link) => link.key === 'outcome')!.facts).toEqual(['position still open']);
    expect(links.find((link) => link.key === 'fills')!.facts).toEqual(['buy 0.2 at 150.5 (fee 0.01)']);
  });

  it('marks a rejected venue order and a failed step as failed, and an unaccepted order pending', () => {
    const base = explanation();
    const failed = timelineOf(
      explanation({
        step: { ...base.step, status: 'failed', lastError: 'venue said no' },
        venueOrder: { ...base.venueOrder!, status: 'rejected' },
        fills: [],
        position: null,
      }),
    );
    const state = (key: string) => failed.find((link) => link.key === key)!.state;
    expect([state('step'), state('venue_order'), state('fills'), state('position')]).toEqual([
      'failed',
      'failed',
      'pending',
      'pending',
    ]);
    expect(failed.find((link) => link.key === 'step')!.facts).toContain('error: venue said no');
    const unaccepted = timelineOf(explanation({ venueOrder: null }));
    expect(unaccepted.find((link) => link.key === 'venue_order')!.state).toBe('pending');
  });
});
