import { OutcomeUnknownError } from '@atc/platform';
import { TestVenue } from './test-venue';
import { VenueRejectedError, VenueUnavailableError, type OrderIntent } from '../venue';

const intent = (id: string, extra: Partial<OrderIntent> = {}): OrderIntent => ({
  clientOrderId: id,
  market: 'futures',
  instrument: 'MNQ',
  side: 'buy',
  quantity: '2',
  orderType: 'market',
  ...extra,
});

describe('TestVenue', () => {
  it('journals every submission, duplicates included, and accepts duplicates like Tradier', async () => {
    const venue = new TestVenue({ prices: { MNQ: '21500.25' } });
    await venue.submitOrder(intent('a'));
    await venue.submitOrder(intent('a'));
    expect(venue.receivedCount('a')).toBe(2);
    expect(venue.duplicateAcceptedIds()).toEqual(['a']);
    expect(await venue.getPositions()).toEqual([{ instrument: 'MNQ', quantity: '4' }]);
  });

  it('rejects duplicate ids when configured like ProjectX', async () => {
    const venue = new TestVenue({ rejectDuplicateIds: true });
    await venue.submitOrder(intent('a'));
    await expect(venue.submitOrder(intent('a'))).rejects.toBeInstanceOf(VenueRejectedError);
    expect(venue.receivedCount('a')).toBe(2);
    expect(venue.duplicateAcceptedIds()).toEqual([]);
  });

  it('before_accept: ambiguous to the caller, and the lookup proves the order absent', async () => {
    const venue = new TestVenue();
    venue.failNext('before_accept');
    await expect(venue.submitOrder(intent('b'))).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(await venue.lookupOrder('b')).toEqual({ state: 'absent' });
    expect(venue.journal).toHaveLength(1);
  });

  it('accept_then_timeout: ambiguous, yet the order rests at the venue and the lookup finds it', async () => {
    const venue = new TestVenue();
    venue.failNext('accept_then_timeout');
    await expect(venue.submitOrder(intent('c'))).rejects.toBeInstanceOf(OutcomeUnknownError);
    const found = await venue.lookupOrder('c');
    expect(found).toMatchObject({ state: 'found', order: { status: 'open', filledQuantity: '0' } });
    venue.fillResting();
    expect(await venue.lookupOrder('c')).toMatchObject({ state: 'found', order: { status: 'filled' } });
  });

  it('after_fill: ambiguous, yet the order filled and shows in positions', async () => {
    const venue = new TestVenue({ failureFor: (_i, n) => (n === 1 ? 'after_fill' : undefined) });
    await expect(venue.submitOrder(intent('d', { side: 'sell' }))).rejects.toBeInstanceOf(
      OutcomeUnknownError,
    );
    expect(await venue.lookupOrder('d')).toMatchObject({
      state: 'found',
      order: { status: 'filled', filledQuantity: '2' },
    });
    expect(await venue.getPositions()).toEqual([{ instrument: 'MNQ', quantity: '-2' }]);
  });

  it('unavailable: nothing received; reject: a business rejection', async () => {
    const venue = new TestVenue();
    venue.failNext('unavailable');
    venue.failNext('reject');
    await expect(venue.submitOrder(intent('e'))).rejects.toBeInstanceOf(VenueUnavailableError);
    await expect(venue.submitOrder(intent('e'))).rejects.toBeInstanceOf(VenueRejectedError);
    expect(venue.journal.map((e) => e.outcome)).toEqual(['rejected']);
    expect(await venue.lookupOrder('e')).toEqual({ state: 'absent' });
  });

  it('cancels a resting limit order', async () => {
    const venue = new TestVenue();
    await venue.submitOrder(intent('f', { orderType: 'limit', limitPrice: '21000' }));
    expect((await venue.cancelOrder('f')).status).toBe('cancelled');
    expect((await venue.getQuote('MNQ')).last).toBe('100');
  });
});
