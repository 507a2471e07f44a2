/**
 * `atc_trade_executions_total{market,result}`: counted by the worker when a trade step settles on the
 * venue's answer. The same results as the exporter's `atc_trade_executions_last_hour` (which reads
 * orders): filled (anything filled), rejected (refused, or ended unfilled), failed (never reached the
 * venue; the step is retried), needs_reconciliation (outcome unknown, or still working at the venue).
 * @module
 */
import { Counter, type Registry } from '@atc/platform';
import type { Market } from '@atc/contracts';
import type { TradeExecutionResult } from '../observability/business-metrics.queries';

export type TradeExecutionCounter = Pick<Counter<'market' | 'result'>, 'inc'>;

export function createTradeExecutionCounter(registry: Registry): Counter<'market' | 'result'> {
  return new Counter({
    name: 'atc_trade_executions_total',
    help: 'Trade steps settled on a venue answer, by market and result (filled, rejected, failed, needs_reconciliation).',
    labelNames: ['market', 'result'],
    registers: [registry],
  });
}

/** The result of a settled execution, from where the step went and what the venue answered. */
export function executionResultOf(
  to: string,
  answer: 'order' | 'rejected' | 'not_sent' | 'unknown',
): TradeExecutionResult {
  if (to === 'succeeded') return 'filled';
  if (to === 'needs_reconciliation') return 'needs_reconciliation';
  return answer === 'not_sent' ? 'failed' : 'rejected';
}

export function countExecution(
  counter: TradeExecutionCounter | undefined,
  market: Market,
  result: TradeExecutionResult,
): void {
  counter?.inc({ market, result });
}
