import { InputError, type Logger } from '@atc/platform';
import type { CliConfig } from '../cli.config';
import { runAudit } from './audit.command';
import { runKillSwitch } from './kill-switch.command';
import { runPolicy } from './policy.command';
import { runProposal } from './proposal.command';
import { runSeed } from './seed.command';
import type { TradingArguments } from './trading-cli';

export type { TradingArguments } from './trading-cli';

export const TRADING_COMMANDS = ['proposal', 'policy', 'kill-switch', 'audit', 'seed'] as const;

export const TRADING_HELP = `trading:
  proposal submit -f FILE       submit a proposal (JSON); prints the decision
  proposal list [--status S]    list proposals, newest first
  proposal show ID              a proposal with its content and content hash
  proposal approve ID           approve an awaiting proposal (gates re-run against current policy)
  proposal reject ID --reason R reject an awaiting proposal
  policy get KEY                show a policy and its version
  policy set KEY -f FILE        replace a policy (validated; refused when invalid)
  kill-switch on --reason R [--market M] | off [--reason R] [--market M] | status | reset-latch [--reason R]
                                halt all trading (or one market), resume, show halts, reset the loss latch
  kill-switch on --reason R --scale-down | off --restore
                                also scale the workers to 0 and suspend the heartbeat in Kubernetes (after
                                the halt commits), or put them back; exit 1 when the cluster refused
  audit verify                  verify the audit log's hash chain (exit 1 naming the first broken row)
  seed                          apply the idempotent seeds (agents, relationships, policies, trigger rules)
  (all take --json; approvals and toggles take --by NAME, default operator:<login>)
`;

export function isTradingCommand(command: string): command is (typeof TRADING_COMMANDS)[number] {
  return (TRADING_COMMANDS as readonly string[]).includes(command);
}

export function runTradingCommand(
  command: string,
  args: TradingArguments,
  config: CliConfig,
  logger: Logger,
): Promise<number> {
  switch (command) {
    case 'proposal':
      return runProposal(args, config, logger);
    case 'policy':
      return runPolicy(args, config, logger);
    case 'kill-switch':
      return runKillSwitch(args, config, logger);
    case 'audit':
      return runAudit(args, config, logger);
    case 'seed':
      return runSeed(args, config, logger);
    default:
      throw new InputError(`unknown command "${command}"`);
  }
}
