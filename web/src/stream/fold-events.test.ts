import { streamEvent } from '../testing/fake-event-source';
import { staleQueries } from './fold-events';

describe('staleQueries', () => {
  it('a proposal event makes the proposals and the status stale', () => {
    expect(staleQueries([streamEvent('1', 'proposal_decided')])).toEqual([['proposals'], ['status']]);
  });

  it('a batch names each stale query once', () => {
    const batch = ['fill_recorded', 'position_changed', 'order_status_changed'].map((type, i) =>
      streamEvent(String(i), type),
    );
    expect(staleQueries(batch)).toEqual([['status'], ['positions'], ['orders']]);
  });

  it("a step's or a mission's change makes the missions stale", () => {
    for (const type of ['steps_status_changed', 'mission_status_changed', 'mission_created']) {
      expect(staleQueries([streamEvent('1', type)])).toContainEqual(['missions']);
    }
  });

  it('an event no read shows makes nothing stale', () => {
    expect(staleQueries([streamEvent('1', 'memory_created')])).toEqual([]);
  });
});
