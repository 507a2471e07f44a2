import os from 'node:os';
import { z } from 'zod';
import { integer } from '@atc/platform';

/**
 * The most steps a worker claims ahead of its free slots. Claims then come in batches, and a
 * finished step's slot is refilled without waiting for a claim round trip (`npm run bench:queue`
 * measures it). The worker holds only what its slots finish within about one claim round trip
 * (PrefetchPace): quick steps up to this ceiling, steps waiting on a venue none, so they stay
 * available to the other workers.
 */
export const DEFAULT_WORKER_PREFETCH = 32;

/** The worker role's own keys; the database, logging, admin and venue keys are added in main. */
export const workerEnvironment = {
  WORKER_ID: z.string().min(1).max(120).default(`${os.hostname()}-${process.pid}`),
  WORKER_CONCURRENCY: integer(1, 256).default(4),
  /** Ceiling on steps claimed ahead into a local queue (leased, renewed, handed back on drain); 0 = none. */
  WORKER_PREFETCH: integer(0, 1_000).default(DEFAULT_WORKER_PREFETCH),
  WORKER_POLL_INTERVAL_MS: integer(50, 60_000).default(1_000),
  STEP_LEASE_MS: integer(1_000, 600_000).default(30_000),
  STEP_LEASE_RENEW_INTERVAL_MS: integer(100, 300_000).default(10_000),
  ORDER_SETTLE_WAIT_MS: integer(0, 60_000).default(3_000),
  HALT_CACHE_MS: integer(0, 60_000).default(1_000),
} as const;
