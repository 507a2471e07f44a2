/**
 * One opossum breaker per venue, named after it, with consecutive-failure semantics: opossum opens
 * on an error percentage over a rolling window, which would trip on one failure out of one call and
 * ignore a slow trickle. We disable that (threshold 100 % is never exceeded) and open the breaker
 * ourselves after `failureThreshold` failures in a row. After `resetTimeoutMs` opossum lets one probe
 * through (half-open): success closes it, failure opens it again for another reset period.
 * @module
 */
import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import type { Registry } from 'prom-client';
import type { ReadinessCheck } from '../admin-server';
import type { Logger } from '../logger';
import { BreakerOpenError, HttpStatusError } from './http-errors';
import { venueMetrics } from './venue-metrics';

export type BreakerState = 'closed' | 'half_open' | 'open';

export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = {
  closed: 0,
  half_open: 1,
  open: 2,
};

export interface VenueBreakerOptions {
  readonly venue: string;
  /** Consecutive failures that open the breaker. Default 3. */
  readonly failureThreshold?: number;
  /** How long the breaker stays open before one probe. Default 5 minutes. */
  readonly resetTimeoutMs?: number;
  /** Errors that prove the venue is up and must not count. Default: any 4xx but 408 (business rejections, and 429 — throttling is handled by backoff, not by cutting the venue off for minutes). */
  readonly isBusinessRejection?: (error: unknown) => boolean;
  readonly registry?: Registry;
  readonly logger?: Logger;
}

export const DEFAULT_FAILURE_THRESHOLD = 3;
export const DEFAULT_BREAKER_RESET_MS = 5 * 60_000;

const defaultIsBusinessRejection = (error: unknown): boolean =>
  error instanceof HttpStatusError && error.status >= 400 && error.status < 500 && error.status !== 408;

type Action = () => Promise<unknown>;

export class VenueBreaker {
  readonly venue: string;
  private readonly breaker: CircuitBreaker<[Action], unknown>;
  private readonly threshold: number;
  private consecutiveFailures = 0;

  constructor(options: VenueBreakerOptions) {
    this.venue = options.venue;
    this.threshold = options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
    this.breaker = new CircuitBreaker<[Action], unknown>((action) => action(), {
      name: options.venue,
      // Timeouts belong to the HTTP layer, which knows whether a request may have been sent.
      timeout: false,
      resetTimeout: options.resetTimeoutMs ?? DEFAULT_BREAKER_RESET_MS,
      errorThresholdPercentage: 100,
      errorFilter: options.isBusinessRejection ?? defaultIsBusinessRejection,
      enableSnapshots: false,
      // A controller that never fires: no bucket-rotation interval, so no timer keeps a process alive.
      rotateBucketController: new EventEmitter(),
    });
    const gauge = options.registry ? venueMetrics(options.registry).breakerState : undefined;
    const publish = () => gauge?.set({ venue: this.venue }, BREAKER_STATE_VALUE[this.state]);
    publish();
    this.breaker.on('failure', () => {
      this.consecutiveFailures += 1;
      if (this.consecutiveFailures >= this.threshold && this.breaker.closed) this.breaker.open();
    });
    this.breaker.on('success', () => {
      this.consecutiveFailures = 0;
    });
    this.breaker.on('open', () => {
      options.logger?.warn({ venue: this.venue, failures: this.consecutiveFailures }, 'venue breaker opened');
      publish();
    });
    this.breaker.on('halfOpen', () => {
      options.logger?.info({ venue: this.venue }, 'venue breaker half-open; next call probes');
      publish();
    });
    this.breaker.on('close', () => {
      this.consecutiveFailures = 0;
      options.logger?.info({ venue: this.venue }, 'venue breaker closed');
      publish();
    });
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half_open';
    return 'closed';
  }

  /** True while calls are refused without being sent. Workers stop claiming while this holds. */
  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Runs `action` through the breaker; throws `BreakerOpenError` (nothing sent) while open. */
  async run<T>(action: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(action)) as T;
    } catch (error) {
      if (error instanceof Error && (error as { code?: unknown }).code === 'EOPENBREAKER') {
        throw new BreakerOpenError(this.venue);
      }
      throw error;
    }
  }

  /** Readiness fails while the breaker is open, naming the venue. Half-open counts as ready: it must probe. */
  readinessCheck(): ReadinessCheck {
    return () =>
      Promise.resolve(
        this.isOpen
          ? { ok: false, detail: `${this.venue} circuit breaker is open` }
          : { ok: true, detail: this.state },
      );
  }

  /** Stops the reset timer; call on shutdown and at the end of tests. */
  shutdown(): void {
    this.breaker.shutdown();
  }
}

export function createVenueBreaker(options: VenueBreakerOptions): VenueBreaker {
  return new VenueBreaker(options);
}
