import Decimal from 'decimal.js';
import { marketSession, type Market, type ProposalInput } from '@atc/contracts';
import { appendEvent, readPolicySnapshot, submitProposalIn } from '@atc/trading';
import { exitFor, type ExitSignal } from './exit-monitors';
import type { HeartbeatPhase, PhaseContext, PhaseResult } from './heartbeat-phase';
import { readPhasePolicy } from './heartbeat-policies';
import { inPhaseTransaction, mapBounded } from './phase-transaction';
import { adoptEntryStops, selectOpenInstruments, storeMarks } from './position-marks.queries';

export interface MarkSettings {
  /** Open positions marked per run (stalest first). */
  readonly maxPositions: number;
  /** Quotes in flight at once. */
  readonly quoteConcurrency: number;
  /** Close proposals submitted at once (each its own transaction). */
  readonly closeConcurrency: number;
}

const REASON_TEXT = {
  stop_loss: 'stop-loss hit',
  take_profit: 'take-profit reached',
  trailing_stop: 'trailing stop hit',
};

/**
 * The close a monitor asks for. Idempotent per position and reason (the trace id), so the next run
 * finds the same proposal instead of making another while the close is in flight. sage proposes:
 * it is the risk manager's call, and the policy auto-approves closes as risk-reducing.
 */
export function closeProposal(exit: ExitSignal): ProposalInput {
  const { position, reason } = exit;
  return {
    source: 'trigger',
    sourceTraceId: `close:${position.id}:${reason}`,
    agent: 'sage',
    title:
      `Close ${position.market} ${position.symbol.slice(0, 12)}: ${REASON_TEXT[reason]} (mark ${position.mark}, level ${exit.level})`.slice(
        0,
        200,
      ),
    rationale: `position management: ${reason} on position ${position.id}`,
    confidence: 0.95,
    steps: [{ kind: 'close_position', market: position.market, symbol: position.symbol, reason }],
  };
}

async function quoteAll(
  context: PhaseContext,
  instruments: readonly { market: Market; symbol: string }[],
  concurrency: number,
) {
  let failed = 0;
  const marks = await mapBounded(context, instruments, concurrency, async ({ market, symbol }) => {
    try {
      const quote = await context.marketData.quote(market, symbol);
      const last = new Decimal(quote.last);
      return last.gt(0) ? { market, symbol, mark: last.toFixed() } : null;
    } catch (error) {
      failed += 1;
      context.logger.warn({ err: error, market, symbol }, 'quote failed; position keeps its previous mark');
      return null;
    }
  });
  return { marks: marks.filter((m): m is NonNullable<typeof m> => m !== null), failed };
}

export function markToMarketPhase(settings: MarkSettings): HeartbeatPhase {
  return {
    name: 'mark_to_market',
    async run(context): Promise<PhaseResult> {
      const management = await readPhasePolicy(context.pool, 'position_management');
      const policies = await readPolicySnapshot(context.pool);
      const open = await selectOpenInstruments(context.pool, settings.maxPositions);
      // One quote per instrument, however many rows name it.
      const unique = [...new Map(open.map((o) => [`${o.market}:${o.symbol}`, o])).values()];
      const { marks, failed } = await quoteAll(context, unique, settings.quoteConcurrency);
      const marked = await inPhaseTransaction(context, async (client) => {
        await adoptEntryStops(client, policies.riskControls.defaultStopLossFraction);
        return storeMarks(client, marks, context.now);
      });
      const triggered = management.enabled
        ? marked
            .map((p) => exitFor(p, management.trailingStopFraction))
            .filter((e): e is ExitSignal => e !== null)
        : [];
      // A closed market cannot fill a close: its exits wait for the session (the next run re-checks).
      const exits = triggered.filter((e) => marketSession(e.position.market, context.now).open);
      // Each close is its own transaction, several at a time: a market gap can trip hundreds of stops
      // at once, and one at a time they would not fit the phase's budget.
      const decisions = await mapBounded(context, exits, settings.closeConcurrency, (exit) =>
        inPhaseTransaction(context, async (client) => {
          const result = await submitProposalIn(client, closeProposal(exit), {
            asOf: context.now,
            logger: context.logger,
          });
          if (!result.replayed) {
            await appendEvent(client, {
              type: 'position_exit_triggered',
              aggregateType: 'position',
              aggregateId: exit.position.id,
              market: exit.position.market,
              agent: 'sage',
              tags: ['position', 'exit', exit.reason],
              payload: {
                positionId: exit.position.id,
                market: exit.position.market,
                symbol: exit.position.symbol,
                reason: exit.reason,
                mark: exit.position.mark,
                level: exit.level,
                proposalId: result.proposalId,
              },
            });
          }
          return result;
        }),
      );
      const proposed = decisions.filter((d) => !d.replayed).length;
      return {
        summary: {
          positions: open.length,
          quoted: marks.length,
          quoteFailures: failed,
          marked: marked.length,
          exits: exits.length,
          exitsWaitingForOpen: triggered.length - exits.length,
          closesProposed: proposed,
        },
      };
    },
  };
}
