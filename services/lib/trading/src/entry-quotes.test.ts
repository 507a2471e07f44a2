import { Writable } from 'node:stream';
import type { Market, TradePayload } from '@atc/contracts';
import { createLogger } from '@atc/platform';
import { quoteEntries } from './entry-quotes';
import type { MarketDataSource, MarketQuote } from './market-data-source';
import { SOL_MINT, USDC_MINT } from './testing/test-prices';

const now = new Date('2031-02-04T15:00:00Z');
const CALL = 'SPY310221C00500000';
const PUT = 'SPY310221P00450000';

const buySol: TradePayload = {
  market: 'crypto',
  inputMint: USDC_MINT,
  outputMint: SOL_MINT,
  side: 'buy',
  amount: '20',
  stopLoss: '100',
};
const option = (occSymbol: string, side: 'buy_to_open' | 'sell_to_open'): TradePayload => ({
  market: 'options',
  underlying: 'SPY',
  occSymbol,
  side,
  quantity: 1,
  orderType: 'market',
});

/** The log lines a quoting run writes, parsed. */
function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ service: 't', version: '0', level: 'info', format: 'json', destination });
  return { logger, lines };
}

/** Quotes from a table; an instrument missing from it fails the way a venue does. */
function feed(table: Record<string, MarketQuote>) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const source: MarketDataSource = {
    async quote(market: Market, instrument: string) {
      calls.push(`${market}:${instrument}`);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Promise.resolve();
      inFlight -= 1;
      const quote = table[instrument];
      if (!quote) throw new Error(`connect ECONNREFUSED 127.0.0.1:1 (${instrument})`);
      return quote;
    },
  };
  return { source, calls, maxInFlight: () => maxInFlight };
}
const q = (instrument: string, bid: string, ask: string, last = ask): MarketQuote => ({
  instrument,
  bid,
  ask,
  last,
});

describe('quoteEntries', () => {
  it('quotes each price key once: the ask of a buy, the bid of a sell, a token at its last price', async () => {
    const { source, calls } = feed({
      [USDC_MINT]: q(USDC_MINT, '1', '1'),
      [SOL_MINT]: q(SOL_MINT, '149', '151', '150'),
      [CALL]: q(CALL, '0.15', '0.17'),
      [PUT]: q(PUT, '0.40', '0.44'),
    });
    const { logger, lines } = capturedLogger();
    const quotes = await quoteEntries({ marketData: source, now, logger }, [
      buySol,
      buySol,
      option(CALL, 'buy_to_open'),
      option(PUT, 'sell_to_open'),
    ]);
    expect(calls).toHaveLength(4);
    expect(quotes).toEqual([
      { market: 'crypto', instrument: USDC_MINT, price: '1', source: 'venue_quote', at: now },
      { market: 'crypto', instrument: SOL_MINT, price: '150', source: 'venue_quote', at: now },
      { market: 'options', instrument: CALL, price: '0.17', source: 'venue_quote', at: now },
      { market: 'options', instrument: PUT, price: '0.40', source: 'venue_quote', at: now },
    ]);
    expect(lines).toEqual([]);
  });

  it('leaves an unquotable instrument to its mark with one warning naming it and why, never a stack', async () => {
    const { source } = feed({ [USDC_MINT]: q(USDC_MINT, '1', '1'), [CALL]: q(CALL, '0', '0') });
    const { logger, lines } = capturedLogger();
    const quotes = await quoteEntries({ marketData: source, now, logger }, [
      buySol,
      option(CALL, 'buy_to_open'),
    ]);
    expect(quotes.map((quote) => quote.instrument)).toEqual([USDC_MINT]);
    expect(lines).toHaveLength(2);
    const [failed, unpriced] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(failed).toMatchObject({
      level: 'warn',
      market: 'crypto',
      instrument: SOL_MINT,
      reason: `connect ECONNREFUSED 127.0.0.1:1 (${SOL_MINT})`,
    });
    expect(String(failed?.msg)).toMatch(
      new RegExp(`^no venue quote for crypto ${SOL_MINT} \\(connect ECONNREFUSED`),
    );
    expect(unpriced).toMatchObject({ instrument: CALL, reason: 'the venue quoted no ask' });
    expect(lines.join('')).not.toMatch(/stack|\n\s+at /);
  });

  it('keeps at most four quotes in flight', async () => {
    const symbols = Array.from({ length: 10 }, (_, i) => `SPY310221C00${500 + i}000`);
    const { source, calls, maxInFlight } = feed(
      Object.fromEntries(symbols.map((s) => [s, q(s, '1', '1.1')])),
    );
    const { logger } = capturedLogger();
    const quotes = await quoteEntries(
      { marketData: source, now, logger },
      symbols.map((s) => option(s, 'buy_to_open')),
    );
    expect(quotes).toHaveLength(10);
    expect(calls).toHaveLength(10);
    expect(maxInFlight()).toBe(4);
  });
});
