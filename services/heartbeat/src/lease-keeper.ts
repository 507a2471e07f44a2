/**
 * Renews the run's lease every third of its TTL while the run works, so a long run keeps it and a dead
 * or hung one loses it within one TTL. When a renewal finds the lease gone (another run took it over
 * because this one stalled past the expiry) or the last successful renewal has expired, `onLost` fires
 * once and the run stops: two runs must never work at the same time.
 * @module
 */
import type { Logger, Queryable } from '@atc/platform';
import { renewLease } from './lease.queries';
import { RunInterruptedError } from './phase-executor';

export interface LeaseKeeper {
  stop(): void;
}

export function keepLease(options: {
  db: Queryable;
  owner: string;
  runId: string;
  ttlMs: number;
  logger: Logger;
  onLost: (reason: RunInterruptedError) => void;
}): LeaseKeeper {
  const { db, owner, runId, ttlMs, logger } = options;
  let validUntil = Date.now() + ttlMs;
  let stopped = false;
  let renewing = false;
  const lose = (message: string) => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    logger.error({ runId }, message);
    options.onLost(new RunInterruptedError('lease_lost', message));
  };
  const renew = async () => {
    if (renewing || stopped) return;
    renewing = true;
    const sentAt = Date.now();
    try {
      const renewed = await renewLease(db, { owner, runId, ttlMs });
      if (!renewed) lose('heartbeat lease was taken over by another run; stopping this run');
      else {
        validUntil = sentAt + ttlMs;
        logger.debug({ runId, expiresAt: renewed.expiresAt }, 'heartbeat lease renewed');
      }
    } catch (error) {
      logger.warn({ err: error, runId }, 'heartbeat lease renewal failed; retrying before it expires');
      if (Date.now() >= validUntil)
        lose('heartbeat lease expired before it could be renewed; stopping this run');
    } finally {
      renewing = false;
    }
  };
  const timer = setInterval(() => void renew(), Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref?.();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
