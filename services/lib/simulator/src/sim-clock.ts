/**
 * The simulator's own clock. Prices, block heights, token expiry and fills are functions of the
 * tick index, never of the wall clock, so a run is reproducible: tests advance it with
 * `POST /_sim/clock`, `atc sim` advances it on an interval.
 * @module
 */
export type TickListener = (tick: number) => void;

export const SOLANA_BASE_BLOCK_HEIGHT = 367_850_000;
export const SOLANA_BASE_SLOT = 389_120_000;

export class SimClock {
  private current = 0;
  private readonly listeners: TickListener[] = [];

  constructor(
    /** Simulated time at tick 0. */
    readonly startTimeMs: number,
    /** Simulated milliseconds per tick. */
    readonly tickMs: number = 1_000,
  ) {}

  get tick(): number {
    return this.current;
  }

  nowMs(): number {
    return this.startTimeMs + this.current * this.tickMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** One Solana block per tick keeps blockhash expiry (150 blocks) reachable in tests. */
  blockHeight(): number {
    return SOLANA_BASE_BLOCK_HEIGHT + this.current;
  }

  slot(): number {
    return SOLANA_BASE_SLOT + this.current;
  }

  onTick(listener: TickListener): void {
    this.listeners.push(listener);
  }

  advance(ticks: number): number {
    for (let i = 0; i < ticks; i += 1) {
      this.current += 1;
      for (const listener of this.listeners) listener(this.current);
    }
    return this.current;
  }
}
