import { userInfo } from 'node:os';
import type { Clock } from '@atc/contracts';

/** Arguments the trading commands (proposal, policy, kill-switch, audit, seed) share. */
export interface TradingArguments {
  readonly rest: readonly string[];
  readonly json: boolean;
  readonly file: string | undefined;
  readonly status: string | undefined;
  readonly reason: string | undefined;
  readonly by: string | undefined;
  readonly market: string | undefined;
  /** `kill-switch on --scale-down`: also scale the release's workers to 0 and suspend the heartbeat. */
  readonly scaleDown?: boolean;
  /** `kill-switch off --restore`: also put back what a scale-down recorded. */
  readonly restore?: boolean;
  /** The command's clock: decisions are made as of its `now()`, read once per decision. */
  readonly clock: Clock;
}

/** Who the operator is, for approvals and the audit log: `--by`, else `operator:<login>`. */
export function operatorName(args: Pick<TradingArguments, 'by'>): string {
  if (args.by?.trim()) return args.by.trim();
  try {
    return `operator:${userInfo().username}`;
  } catch {
    return 'operator:unknown';
  }
}

export { withCommandPool } from '../command-pool';
