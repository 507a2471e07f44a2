import { OutcomeUnknownError, VenueResponseError } from '@atc/platform';
import { serveBodies, type FixedBodyServer } from './testing/fixed-body-server';
import { TradierClient } from './tradier.client';

/** A Tradier that changed its format: every call names the field, a submission stays unknown. */
describe('Tradier client: every response goes through a schema', () => {
  let server: FixedBodyServer;
  afterEach(() => server.close());

  function client(body: (path: string) => unknown): Promise<TradierClient> {
    return serveBodies(body).then((started) => {
      server = started;
      return new TradierClient({ http: server.http('tradier'), accessToken: 't', accountId: 'VA1' });
    });
  }

  it('names the field of a quote that changed type', async () => {
    const tradier = await client(() => ({
      quotes: { quote: { symbol: 'SPY', last: '1.5', bid: 1, ask: 2, type: 'etf' } },
    }));
    const error = await tradier.getQuotes(['SPY']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VenueResponseError);
    expect((error as Error).message).toMatch(
      /^tradier quotes answered an unexpected body: quotes\.quote\.last: /,
    );
  });

  it('names the missing field of an order, a position and the profile', async () => {
    const tradier = await client((path) =>
      path.endsWith('/positions')
        ? { positions: { position: [{ symbol: 'SPY', quantity: 1, cost_basis: 1, date_acquired: 'd' }] } }
        : path === '/user/profile'
          ? { profile: {} }
          : { order: { id: 1, type: 'market', symbol: 'SPY', side: 'buy', status: 'filled' } },
    );
    await expect(tradier.getOrder(1)).rejects.toThrow(/tradier order .*: order\.quantity: /);
    await expect(tradier.getPositions()).rejects.toThrow(
      /tradier positions .*: positions\.position\[0\]\.id: /,
    );
    const fresh = new TradierClient({ http: server.http('tradier'), accessToken: 't' });
    await expect(fresh.account()).rejects.toThrow(/tradier profile .*: profile\.account: /);
  });

  it('leaves an order placement whose answer cannot be read unknown, never rejected', async () => {
    const tradier = await client(() => ({ order: { id: '17', status: 'ok' } }));
    const error = await tradier
      .placeOrder({
        class: 'equity',
        symbol: 'SPY',
        side: 'buy',
        quantity: '1',
        type: 'market',
        duration: 'day',
        tag: 'cc-1',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(((error as Error).cause as Error).message).toMatch(/tradier place_order .*: order\.id: /);
  });

  it('reads a body that is not JSON as malformed, naming the endpoint', async () => {
    const tradier = await client(() => '<quotes/>');
    await expect(tradier.getQuotes(['SPY'])).rejects.toThrow(
      'tradier quotes answered an unexpected body: (body): not JSON',
    );
  });
});
