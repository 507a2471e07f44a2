/**
 * bench:decision's figures: request-to-venue-order latency p50 / p99 by market, and where every
 * proposal ended (ordered, refused by the API, rejected by the gates, or without an order in time).
 * @module
 */
import type { Market } from '@atc/contracts';
import type { BenchProposalRow } from './decision-bench.queries';
import type { SeenOrder } from './sim-journal-watcher';

export interface Submission {
  readonly traceId: string;
  readonly market: Market;
  /** performance.now() when the request was sent. */
  readonly sentAt: number;
  /** The HTTP status (0: no answer). */
  readonly status: number;
  readonly detail: string;
}

const GOAL_P99_MS = 100;

/** The `fraction` quantile of sorted `values` (nearest rank). */
export function quantile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** When the submission's first order was seen accepted at the venue, if it was. */
function orderSeenAt(row: BenchProposalRow | undefined, seen: readonly SeenOrder[]): number | undefined {
  const times = (row?.orders ?? []).flatMap((order) =>
    seen
      .filter(
        (s) =>
          s.clientOrderId === order.clientOrderId ||
          (order.venueOrderId !== null &&
            (s.clientOrderId === order.venueOrderId || s.venueOrderId === order.venueOrderId)),
      )
      .map((s) => s.seenAt),
  );
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** One word for where the submission ended. */
function outcome(
  submission: Submission,
  row: BenchProposalRow | undefined,
  orderedAt: number | undefined,
): string {
  if (submission.status < 200 || submission.status >= 300) return `refused ${submission.status}`;
  if (orderedAt !== undefined) return 'ordered';
  if (!row) return 'not in the database';
  if (row.status === 'rejected') return `rejected ${row.reasonCode ?? ''}`.trim();
  return `no venue order in time (proposal ${row.status}${row.orders.length > 0 ? `, order ${row.orders[0]!.status}` : ''})`;
}

export function reportDecisions(input: {
  readonly submissions: readonly Submission[];
  readonly rows: readonly BenchProposalRow[];
  readonly seen: readonly SeenOrder[];
  readonly write: (line?: string) => void;
}): void {
  const byTrace = new Map(input.rows.map((row) => [row.sourceTraceId, row]));
  const latencies = new Map<Market, number[]>();
  const outcomes = new Map<string, number>();
  for (const submission of input.submissions) {
    const row = byTrace.get(submission.traceId);
    const orderedAt = orderSeenAt(row, input.seen);
    if (orderedAt !== undefined && submission.status >= 200 && submission.status < 300) {
      latencies.set(submission.market, [
        ...(latencies.get(submission.market) ?? []),
        orderedAt - submission.sentAt,
      ]);
    }
    const key = `${submission.market}: ${outcome(submission, row, orderedAt)}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  input.write();
  input.write('request → venue order accepted at the simulator');
  for (const [market, values] of latencies) {
    const sorted = [...values].sort((a, b) => a - b);
    const p99 = quantile(sorted, 0.99);
    input.write(
      `  ${market.padEnd(8)} n ${String(sorted.length).padStart(4)}  p50 ${quantile(sorted, 0.5).toFixed(1)} ms  ` +
        `p99 ${p99.toFixed(1)} ms  max ${sorted[sorted.length - 1]!.toFixed(1)} ms` +
        (p99 < GOAL_P99_MS ? '  (goal met)' : `  (goal: p99 < ${GOAL_P99_MS} ms)`),
    );
  }
  input.write(`every proposal (${input.submissions.length}):`);
  for (const [key, count] of [...outcomes].sort()) input.write(`  ${key.padEnd(60)} ${count}`);
  const refused = input.submissions.find((s) => s.status < 200 || s.status >= 300);
  if (refused) input.write(`first refusal: ${refused.status} ${refused.detail}`);
}
