/**
 * The heartbeat's own environment keys; the shared role keys (database, logging, admin) are added by
 * the caller. Read once, in main.
 * @module
 */
import { z } from 'zod';
import { integer } from '@atc/platform';
import { heartbeatPhaseNames, type HeartbeatPhaseName } from './phases/heartbeat-phase';

const PHASE_BUDGET_MAX_MS = 600_000;

/**
 * `HEARTBEAT_PHASE_BUDGETS_MS=reconcile=8000,mark_to_market=2000`: per-phase overrides of
 * `HEARTBEAT_PHASE_BUDGET_MS`. Every name must be a phase, every value a whole number of ms.
 */
export const phaseBudgetOverrides = () =>
  z
    .string()
    .transform((text, context) => {
      const budgets: Partial<Record<HeartbeatPhaseName, number>> = {};
      for (const entry of text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)) {
        const match = /^([a-z_]+)=(\d+)$/.exec(entry);
        const name = match?.[1] as HeartbeatPhaseName | undefined;
        const value = match ? Number(match[2]) : NaN;
        if (!name || !(heartbeatPhaseNames as readonly string[]).includes(name)) {
          context.addIssue({
            code: 'custom',
            message: `"${entry}" must be <phase>=<ms> with a phase among ${heartbeatPhaseNames.join(', ')}`,
          });
          continue;
        }
        if (value < 1 || value > PHASE_BUDGET_MAX_MS) {
          context.addIssue({
            code: 'custom',
            message: `${name} must be between 1 and ${PHASE_BUDGET_MAX_MS} ms`,
          });
          continue;
        }
        budgets[name] = value;
      }
      return budgets;
    })
    .default({});

export const heartbeatEnvironment = {
  /** The whole run: phases that would start after it are skipped. The alert fires at 10 s. */
  HEARTBEAT_TIMEOUT_MS: integer(100, 3_600_000).default(30_000),
  /** Each phase's budget unless overridden; a phase never gets more than what is left of the run. */
  HEARTBEAT_PHASE_BUDGET_MS: integer(1, PHASE_BUDGET_MAX_MS).default(5_000),
  HEARTBEAT_PHASE_BUDGETS_MS: phaseBudgetOverrides(),
  /** How long a lease lasts without renewal: the longest a killed run blocks the next one. */
  HEARTBEAT_LEASE_TTL_MS: integer(1_000, 3_600_000).default(15_000),
  /** After cancelling an over-budget phase, how long to wait for it to unwind before moving on. */
  HEARTBEAT_CANCEL_GRACE_MS: integer(0, 60_000).default(1_000),
  /** `atc heartbeat --loop` (under `atc up`): seconds between the starts of two runs. */
  HEARTBEAT_INTERVAL_SECONDS: integer(1, 86_400).default(30),
  /** Seeds the run's RNG (probabilistic reactions); unset, each run derives a seed from its id. */
  HEARTBEAT_SEED: integer(0, 2 ** 32 - 1).optional(),
} as const;

export type HeartbeatEnvironment = z.infer<z.ZodObject<typeof heartbeatEnvironment>>;

/** What the runner needs from the config (tests build it directly). */
export interface HeartbeatSettings {
  readonly timeoutMs: number;
  readonly phaseBudgetMs: number;
  readonly phaseBudgetsMs: Readonly<Partial<Record<HeartbeatPhaseName, number>>>;
  readonly leaseTtlMs: number;
  readonly cancelGraceMs: number;
  readonly seed?: number;
}

export function heartbeatSettings(config: HeartbeatEnvironment): HeartbeatSettings {
  return {
    timeoutMs: config.HEARTBEAT_TIMEOUT_MS,
    phaseBudgetMs: config.HEARTBEAT_PHASE_BUDGET_MS,
    phaseBudgetsMs: config.HEARTBEAT_PHASE_BUDGETS_MS,
    leaseTtlMs: config.HEARTBEAT_LEASE_TTL_MS,
    cancelGraceMs: config.HEARTBEAT_CANCEL_GRACE_MS,
    ...(config.HEARTBEAT_SEED !== undefined ? { seed: config.HEARTBEAT_SEED } : {}),
  };
}
