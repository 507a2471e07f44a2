import type { Pool } from 'pg';
import { silentLogger } from '@atc/platform';
import {
  settleStep,
  SettleBatcher,
  type ClaimedStep,
  type SettledAs,
  type StepExecutor,
  type StepOutcome,
} from '@atc/queue';
import { SOL_MINT, USDC_MINT } from '@atc/trading/testing';

/** An execute_trade step buying SOL with `usd` of USDC at a reference price of 100. */
export function buySolStep(usd: string) {
  return {
    kind: 'execute_trade',
    market: 'crypto',
    trade: {
      market: 'crypto',
      inputMint: USDC_MINT,
      outputMint: SOL_MINT,
      side: 'buy',
      amount: usd,
      notionalUsd: usd,
      referencePrice: '100',
      stopLoss: '90',
    },
  };
}

/** Runs one claimed step through an executor and settles it as the worker runtime would. */
export async function executeAndSettle(
  pool: Pool,
  executor: StepExecutor,
  step: ClaimedStep,
  workerId: string,
): Promise<SettledAs> {
  const lease = { stepId: step.id, workerId, attempt: step.attempt };
  let result: StepOutcome | { thrown: unknown };
  try {
    result = await executor(step, { lease, signal: new AbortController().signal, logger: silentLogger() });
  } catch (thrown) {
    result = { thrown };
  }
  return settleStep(new SettleBatcher(pool), step, lease, result);
}
