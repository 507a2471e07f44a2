/**
 * Seeded price paths: a geometric random walk with occasional jumps per instrument. The price at
 * tick t is a pure function of (seed, instrument, t); paths are computed forward once and cached.
 * Floats are fine inside the model; the API boundary rounds to the tick size as strings or numbers
 * the real API uses.
 * @module
 */
import { normal, uniform } from './seeded-random';
import { instrument, type InstrumentSpec } from './instruments';
import type { SimClock } from './sim-clock';

export interface SimQuote {
  readonly symbol: string;
  readonly last: number;
  readonly bid: number;
  readonly ask: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly prevClose: number;
}

export function roundTo(value: number, increment: number): number {
  if (increment <= 0) return Number(value.toPrecision(10));
  return Number((Math.round(value / increment) * increment).toFixed(8));
}

export class MarketModel {
  private readonly paths = new Map<string, number[]>();

  constructor(
    readonly seed: number,
    readonly clock: SimClock,
  ) {}

  /** The mid price of `symbol` at `tick` (default: now). */
  price(symbol: string, tick: number = this.clock.tick): number {
    const spec = instrument(symbol);
    if (!spec) throw new Error(`unknown instrument ${symbol}`);
    const scale = spec.pathOf ? spec.startPrice / instrument(spec.pathOf)!.startPrice : 1;
    return this.path(spec.pathOf ? instrument(spec.pathOf)! : spec, tick) * scale;
  }

  private path(spec: InstrumentSpec, tick: number): number {
    let path = this.paths.get(spec.symbol);
    if (!path) {
      path = [spec.startPrice];
      this.paths.set(spec.symbol, path);
    }
    for (let t = path.length; t <= tick; t += 1) {
      const diffusion = spec.volatilityPerTick * normal(this.seed, spec.symbol, t);
      const jumps = uniform(this.seed, `${spec.symbol}/jump`, t) < spec.jumpProbability;
      const jump = jumps ? spec.jumpScale * normal(this.seed, `${spec.symbol}/jump-size`, t) : 0;
      path.push(path[t - 1]! * Math.exp(diffusion + jump));
    }
    return path[tick]!;
  }

  quote(symbol: string, tick: number = this.clock.tick): SimQuote {
    const spec = instrument(symbol);
    if (!spec) throw new Error(`unknown instrument ${symbol}`);
    const mid = this.price(symbol, tick);
    const increment = spec.tickSize;
    // One increment wide for futures and equities (bid on the grid below mid), 5 bps for tokens.
    const bid =
      increment > 0 ? roundTo(Math.floor(mid / increment) * increment, increment) : roundTo(mid * 0.99975, 0);
    const ask = increment > 0 ? roundTo(bid + increment, increment) : roundTo(mid * 1.00025, 0);
    const window = Array.from({ length: Math.min(tick + 1, 60) }, (_, i) => this.price(symbol, tick - i));
    return {
      symbol: spec.symbol,
      last: roundTo(mid, increment),
      bid,
      ask,
      open: roundTo(this.price(symbol, 0), increment),
      high: roundTo(Math.max(...window), increment),
      low: roundTo(Math.min(...window), increment),
      prevClose: roundTo(spec.startPrice, increment),
    };
  }
}
