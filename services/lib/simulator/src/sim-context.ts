/**
 * Everything the simulator holds in memory: clock, market model, faults, the order journal and one
 * order book per brokerage. Routes receive it; nothing is global, so tests run many simulators.
 * @module
 */
import Decimal from 'decimal.js';
import { marketSession } from '@atc/contracts';
import { AnthropicScript, TranscriptReplay, type Transcript } from './anthropic-script';
import { FaultInjector, type FaultRule } from './fault-injection';
import { instrument } from './instruments';
import { MarketModel } from './market-model';
import { OrderBook, type TouchQuote } from './order-book';
import { parseOccSymbol, quoteOption } from './option-pricing';
import { SimClock } from './sim-clock';
import { SimJournal } from './sim-journal';

export interface SimOptions {
  readonly seed: number;
  /**
   * Simulated time at tick 0; default 2026-11-30T14:30:00Z (a Monday, market open). `atc sim` and
   * `atc up` start at the real time instead (simulator.config.ts).
   */
  readonly startTimeMs?: number;
  readonly tickMs?: number;
  readonly faults?: readonly FaultRule[];
  /** Units that can fill per order per tick: options and futures 5 contracts, equities 500 shares. */
  readonly fillLimitPerTick?: Partial<Record<'option' | 'equity' | 'future', number>>;
  /** Ticks after `sendTransaction` before a Solana transaction lands (default 1). */
  readonly solanaLandingTicks?: number;
  /** Recorded Anthropic exchanges: the endpoint replays them and answers nothing else (anthropic-script.ts). */
  readonly anthropicTranscript?: Transcript;
}

export const DEFAULT_SIM_START = Date.parse('2026-11-30T14:30:00Z');
export const TRADIER_ACCOUNT = 'VA000001';
export const PROJECTX_ACCOUNT_ID = 465;
export const STARTING_CASH = new Decimal(100_000);

export interface SimContext {
  readonly seed: number;
  readonly clock: SimClock;
  readonly market: MarketModel;
  readonly faults: FaultInjector;
  readonly journal: SimJournal;
  readonly tradier: OrderBook;
  readonly projectx: OrderBook;
  readonly solanaLandingTicks: number;
  /** Scripted Anthropic answers (`POST /_sim/anthropic/script`), used before the deterministic ones. */
  readonly anthropicScript: AnthropicScript;
  readonly anthropicTranscript?: TranscriptReplay;
  isoNow(): string;
}

/** The touch for an equity, a future or an OCC option symbol, as decimals. */
export function touchQuote(market: MarketModel, clock: SimClock, symbol: string): TouchQuote | undefined {
  const option = parseOccSymbol(symbol);
  if (option) {
    if (!instrument(option.root)) return undefined;
    const q = quoteOption(option, market.price(option.root), clock.nowMs());
    return { bid: new Decimal(q.bid), ask: new Decimal(q.ask), last: new Decimal(q.last) };
  }
  if (!instrument(symbol)) return undefined;
  const q = market.quote(symbol);
  return { bid: new Decimal(q.bid), ask: new Decimal(q.ask), last: new Decimal(q.last) };
}

/**
 * The session an order book instrument trades in (the market calendar in @atc/contracts): futures in
 * Globex hours, options and their underlyings in NYSE hours. Orders placed while closed rest, as at
 * Tradier and ProjectX, and fill once the session opens.
 */
function sessionMarketOf(symbol: string): 'options' | 'futures' {
  return !parseOccSymbol(symbol) && instrument(symbol)?.kind === 'future' ? 'futures' : 'options';
}

export function createSimContext(options: SimOptions): SimContext {
  const clock = new SimClock(options.startTimeMs ?? DEFAULT_SIM_START, options.tickMs ?? 1_000);
  const market = new MarketModel(options.seed, clock);
  const limits = { option: 5, equity: 500, future: 5, ...options.fillLimitPerTick };
  const now = () => ({ tick: clock.tick, iso: clock.now().toISOString() });
  const fillLimitPerTick = (symbol: string): Decimal => {
    if (parseOccSymbol(symbol)) return new Decimal(limits.option);
    return new Decimal(instrument(symbol)?.kind === 'future' ? limits.future : limits.equity);
  };
  const quote = (symbol: string) => touchQuote(market, clock, symbol);
  const inSession = (symbol: string) => marketSession(sessionMarketOf(symbol), clock.now()).open;
  const tradier = new OrderBook({ quote, fillLimitPerTick, now, inSession }, 257_459);
  const projectx = new OrderBook({ quote, fillLimitPerTick, now, inSession }, 9_056);
  tradier.setCash(TRADIER_ACCOUNT, STARTING_CASH);
  projectx.setCash(String(PROJECTX_ACCOUNT_ID), new Decimal(50_000));
  clock.onTick(() => {
    tradier.matchAll();
    projectx.matchAll();
  });
  return {
    seed: options.seed,
    clock,
    market,
    faults: new FaultInjector(options.seed, options.faults),
    journal: new SimJournal(),
    tradier,
    projectx,
    solanaLandingTicks: options.solanaLandingTicks ?? 1,
    anthropicScript: new AnthropicScript(),
    ...(options.anthropicTranscript
      ? { anthropicTranscript: new TranscriptReplay(options.anthropicTranscript) }
      : {}),
    isoNow: () => clock.now().toISOString(),
  };
}
