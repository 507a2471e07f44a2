import { streamEvent } from '../../testing/fake-event-source';
import { rowOfStreamEvent } from './feed.queries';
import type { StreamEvent } from '@atc/contracts';

describe('rowOfStreamEvent', () => {
  it('gives an event the same row at every batch, so the memoised row content is not rendered again', () => {
    const event: StreamEvent = streamEvent('7', 'proposal_decided');
    const row = rowOfStreamEvent(event);
    expect(rowOfStreamEvent(event)).toBe(row);
    expect(row).toMatchObject({ id: '7', type: 'proposal_decided' });
    // Another event (even with the same id) has a row of its own.
    expect(rowOfStreamEvent({ ...event })).not.toBe(row);
  });
});
