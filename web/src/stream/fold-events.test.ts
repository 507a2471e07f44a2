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
    expect(staleQueries(batch)).toEqual([['status'], ['positions']]);
  });

  it('an event no read shows makes nothing stale', () => {
    expect(staleQueries([streamEvent('1', 'memory_created')])).toEqual([]);
  });
});
