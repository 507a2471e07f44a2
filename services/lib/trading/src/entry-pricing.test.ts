import type { CryptoTrade, TradePayload } from '@atc/contracts';
import {
  declaredMismatch,
  freshPrices,
  priceEntry,
  priceKeysOf,
  type PricedEntry,
  type PriceQuote,
} from './entry-pricing';
import { defaultPolicies } from './seed-data';
import { SOL_MINT, USDC_MINT } from './testing/test-prices';

const policy = defaultPolicies.pricing;
const asOf = new Date('2031-02-04T15:00:00Z');
const ago = (seconds: number) => new Date(asOf.getTime() - seconds * 1000);
const quote = (
  instrument: string,
  price: string,
  at = asOf,
  source: PriceQuote['source'] = 'mark',
  market: PriceQuote['market'] = 'crypto',
): PriceQuote => ({ market, instrument, price, source, at });

const buySol = (amount: string, notionalUsd?: string): CryptoTrade => ({
  market: 'crypto',
  inputMint: USDC_MINT,
  outputMint: SOL_MINT,
  side: 'buy',
  amount,
  ...(notionalUsd ? { notionalUsd } : {}),
  stopLoss: '100',
});

const priced = (trade: TradePayload, quotes: PriceQuote[]) =>
  priceEntry(trade, freshPrices(quotes, policy, asOf), policy);

describe('entry pricing (pure)', () => {
  it('needs both tokens of a crypto buy, one instrument otherwise', () => {
    expect(priceKeysOf(buySol('20'))).toEqual([
      { market: 'crypto', instrument: USDC_MINT },
      { market: 'crypto', instrument: SOL_MINT },
    ]);
    expect(priceKeysOf({ ...buySol('1'), inputMint: SOL_MINT, outputMint: USDC_MINT, side: 'sell' })).toEqual(
      [{ market: 'crypto', instrument: SOL_MINT }],
    );
  });

  it('sizes a crypto buy in output-token units from the input amount, rounding down to 9 decimals', () => {
    const entry = priced(buySol('20'), [quote(USDC_MINT, '1'), quote(SOL_MINT, '150.04')]) as PricedEntry;
    expect(entry).toMatchObject({
      instrument: SOL_MINT,
      side: 'buy',
      quantity: '0.133297787',
      notionalUsd: '20.00',
    });
    // A depegged input token is priced as such: 20 units at 0.5 buy 10 USD of SOL.
    const depeg = priced(buySol('20'), [quote(USDC_MINT, '0.5'), quote(SOL_MINT, '100')]) as PricedEntry;
    expect(depeg).toMatchObject({ quantity: '0.1', notionalUsd: '10.00' });
  });

  it('never assumes a price: a missing input-token price is price_unavailable', () => {
    expect(priced(buySol('20'), [quote(SOL_MINT, '150')])).toMatchObject({ reasonCode: 'price_unavailable' });
  });

  it('prices options as premium × 100 × contracts and futures by the policy measure', () => {
    const option: TradePayload = {
      market: 'options',
      underlying: 'SPY',
      occSymbol: 'SPY310205C00500000',
      side: 'buy_to_open',
      quantity: 3,
      orderType: 'market',
    };
    expect(priced(option, [quote(option.occSymbol, '0.17', asOf, 'venue_quote', 'options')])).toMatchObject({
      quantity: '3',
      multiplier: '100',
      notionalUsd: '51.00',
    });
    const mes: TradePayload = {
      market: 'futures',
      rootSymbol: 'MES',
      side: 'sell',
      contracts: 2,
      stopLoss: '6004.5',
    };
    const mark = quote('MES', '6000', asOf, 'mark', 'futures');
    expect(priced(mes, [mark])).toMatchObject({ multiplier: '5', notionalUsd: '45.00' });
    const notional = { ...policy, futuresExposure: 'notional' as const };
    expect(priceEntry(mes, freshPrices([mark], notional, asOf), notional)).toMatchObject({
      notionalUsd: '60000.00',
    });
    const { stopLoss: _none, ...noStop } = mes;
    expect(priced(noStop as TradePayload, [mark])).toMatchObject({ reasonCode: 'stop_loss_required' });
    expect(priced({ ...mes, rootSymbol: 'ZZZ' }, [quote('ZZZ', '1', asOf, 'mark', 'futures')])).toMatchObject(
      {
        reasonCode: 'price_unavailable',
      },
    );
  });

  it('keeps prices within the age bound of the decision, preferring a quote to a mark of the same age', () => {
    const bound = policy.maxPriceAgeSeconds.crypto;
    expect(freshPrices([quote(SOL_MINT, '1', ago(bound))], policy, asOf).size).toBe(1);
    expect(freshPrices([quote(SOL_MINT, '1', ago(bound + 1))], policy, asOf).size).toBe(0);
    const best = freshPrices(
      [
        quote(SOL_MINT, '1', ago(5)),
        quote(SOL_MINT, '2', ago(1)),
        quote(SOL_MINT, '3', ago(1), 'venue_quote'),
      ],
      policy,
      asOf,
    );
    expect(best.get(`crypto:${SOL_MINT}`)).toMatchObject({ price: '3', source: 'venue_quote' });
  });

  it('cross-checks a declared notional within the tolerance, in both directions', () => {
    const quotes = [quote(USDC_MINT, '1'), quote(SOL_MINT, '100')];
    const check = (declared: string) => {
      const trade = buySol('50', declared);
      return declaredMismatch(trade, priced(trade, quotes) as PricedEntry, policy);
    };
    expect(check('50')).toBeUndefined();
    expect(check('45')).toBeUndefined();
    expect(check('5')).toMatch(/declared notional 5 USD differs from the priced 50\.00 USD/);
    expect(check('500')).toMatch(/differs/);
    expect(
      declaredMismatch(buySol('50'), priced(buySol('50'), quotes) as PricedEntry, policy),
    ).toBeUndefined();
  });
});
