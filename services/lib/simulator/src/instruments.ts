/**
 * The simulated instruments. Prices start near real levels; volatility is per tick of the sim clock
 * (one simulated second by default). Micro futures follow their full-size contract's path, as they
 * do on the exchange.
 * @module
 */
export type InstrumentKind = 'token' | 'equity' | 'future';

export interface InstrumentSpec {
  readonly symbol: string;
  readonly kind: InstrumentKind;
  readonly startPrice: number;
  /** Standard deviation of the log return per tick. */
  readonly volatilityPerTick: number;
  /** Probability of a jump on a tick, and the jump's log-size standard deviation. */
  readonly jumpProbability: number;
  readonly jumpScale: number;
  /** Price increment at the API boundary. */
  readonly tickSize: number;
  /** Futures: dollars per tick; equities/tokens: 0. */
  readonly tickValue: number;
  /** The symbol whose path this one follows (MES follows ES). */
  readonly pathOf?: string;
  /** Solana tokens: mint and decimals. */
  readonly mint?: string;
  readonly decimals?: number;
  readonly description: string;
}

export const SOL_MINT = 'So11111111111111111111111111111111111111112';
export const USDC_MINT = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

const token = (
  symbol: string,
  mint: string,
  decimals: number,
  startPrice: number,
  vol: number,
): InstrumentSpec => ({
  symbol,
  kind: 'token',
  startPrice,
  volatilityPerTick: vol,
  jumpProbability: vol > 0 ? 0.002 : 0,
  jumpScale: vol * 15,
  tickSize: 0,
  tickValue: 0,
  mint,
  decimals,
  description: symbol,
});

export const INSTRUMENTS: readonly InstrumentSpec[] = [
  token('SOL', SOL_MINT, 9, 150, 0.0006),
  token('USDC', USDC_MINT, 6, 1, 0),
  token('JUP', 'JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN', 6, 0.8, 0.0009),
  token('BONK', 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', 5, 0.00002, 0.0015),
  {
    symbol: 'SPY',
    kind: 'equity',
    startPrice: 600,
    volatilityPerTick: 0.00012,
    jumpProbability: 0.0005,
    jumpScale: 0.003,
    tickSize: 0.01,
    tickValue: 0,
    description: 'SPDR S&P 500',
  },
  {
    symbol: 'QQQ',
    kind: 'equity',
    startPrice: 520,
    volatilityPerTick: 0.00016,
    jumpProbability: 0.0005,
    jumpScale: 0.004,
    tickSize: 0.01,
    tickValue: 0,
    description: 'Invesco QQQ Trust',
  },
  ...(
    [
      ['ES', 6000, 12.5, 'E-mini S&P 500', undefined],
      ['MES', 6000, 1.25, 'Micro E-mini S&P 500', 'ES'],
      ['NQ', 21500, 5, 'E-mini NASDAQ-100', undefined],
      ['MNQ', 21500, 0.5, 'Micro E-mini NASDAQ-100', 'NQ'],
    ] as const
  ).map(([symbol, startPrice, tickValue, description, pathOf]): InstrumentSpec => ({
    symbol,
    kind: 'future',
    startPrice,
    volatilityPerTick: symbol.endsWith('Q') ? 0.00016 : 0.00012,
    jumpProbability: 0.0005,
    jumpScale: 0.003,
    tickSize: 0.25,
    tickValue,
    description,
    ...(pathOf ? { pathOf } : {}),
  })),
];

const BY_SYMBOL = new Map(INSTRUMENTS.map((i) => [i.symbol, i]));
const BY_MINT = new Map(INSTRUMENTS.filter((i) => i.mint).map((i) => [i.mint!, i]));

export function instrument(symbol: string): InstrumentSpec | undefined {
  return BY_SYMBOL.get(symbol.toUpperCase());
}

export function tokenByMint(mint: string): InstrumentSpec | undefined {
  return BY_MINT.get(mint);
}

export const FUTURES_ROOTS = ['ES', 'MES', 'NQ', 'MNQ'] as const;
