/**
 * The explain-every-order chain as a timeline: signal → proposal → gates → approval → mission → step →
 * intent → venue order → fills → position → outcome, always those eleven links in that order. A link
 * the order has not reached yet is `pending`; a refusal or failure on the way is `failed`.
 * @module
 */
import type { OrderExplanation } from '@atc/contracts';

type Explanation = ReturnType<typeof OrderExplanation.parse>;

type LinkState = 'done' | 'pending' | 'failed';

interface TimelineLink {
  readonly key: string;
  readonly title: string;
  /** When the link happened, when known. */
  readonly at: string | null;
  readonly state: LinkState;
  /** What to say about it, one fact a line. */
  readonly facts: readonly string[];
}

const FAILED_STEP = new Set(['failed', 'dead', 'cancelled', 'needs_reconciliation']);
const FAILED_ORDER = new Set(['rejected', 'cancelled', 'unknown']);

function signalLinks(e: Explanation): TimelineLink[] {
  const { proposal, gates } = e;
  const refused = gates.results.some((gate) => gate.status === 'rejected');
  return [
    {
      key: 'signal',
      title: 'Signal',
      at: proposal.createdAt,
      state: 'done',
      facts: [`${e.signal.source} · ${e.signal.agent}`, `trace ${e.signal.sourceTraceId}`],
    },
    {
      key: 'proposal',
      title: 'Proposal',
      at: proposal.createdAt,
      state: 'done',
      facts: [proposal.title, `confidence ${proposal.confidence}`, `content hash ${proposal.contentHash}`],
    },
    {
      key: 'gates',
      title: 'Risk gates',
      at: gates.results[0]?.at ?? null,
      state: gates.results.length === 0 ? 'pending' : refused ? 'failed' : 'done',
      facts: [
        ...gates.results.map(
          (gate) =>
            `${gate.status}${gate.reasonCode ? ` (${gate.reasonCode})` : ''}${gate.reasonMessage ? `: ${gate.reasonMessage}` : ''}`,
        ),
        ...gates.admissions.map(
          (a) =>
            `admitted ${a.quantity} ${a.instrument} at ${a.price} (${a.priceSource}) = ${a.notionalUsd} USD`,
        ),
      ],
    },
    {
      key: 'approval',
      title: 'Approval',
      at: e.approval?.decidedAt ?? null,
      state: !e.approval ? 'pending' : e.approval.status === 'approved' ? 'done' : 'failed',
      facts: e.approval ? [`${e.approval.status} by ${e.approval.decidedBy}`] : ['not decided yet'],
    },
  ];
}

function executionLinks(e: Explanation): TimelineLink[] {
  const { mission, step, intent, venueOrder } = e;
  return [
    {
      key: 'mission',
      title: 'Mission',
      at: mission.createdAt,
      state: mission.status === 'failed' || mission.status === 'cancelled' ? 'failed' : 'done',
      facts: [mission.title, mission.status],
    },
    {
      key: 'step',
      title: 'Step',
      at: step.startedAt ?? step.runAfter,
      state: FAILED_STEP.has(step.status) ? 'failed' : 'done',
      facts: [
        `#${step.seq} ${step.kind} · ${step.status}`,
        `attempt ${step.attempt} of ${step.maxAttempts}`,
        ...(step.lastError ? [`error: ${step.lastError}`] : []),
      ],
    },
    {
      key: 'intent',
      title: 'Intent',
      at: intent.createdAt,
      state: 'done',
      facts: [
        `client order id ${intent.clientOrderId} (attempt ${intent.attempt})`,
        ...(intent.admittedNotionalUsd ? [`admitted ${intent.admittedNotionalUsd} USD`] : []),
        ...(intent.sendPrice ? [`priced at send ${intent.sendPrice}`] : []),
      ],
    },
    {
      key: 'venue_order',
      title: 'Venue order',
      at: null,
      state: !venueOrder ? 'pending' : FAILED_ORDER.has(venueOrder.status) ? 'failed' : 'done',
      facts: venueOrder
        ? [
            `${venueOrder.venueOrderId} · ${venueOrder.status}`,
            `filled ${venueOrder.filledQuantity}${venueOrder.averageFillPrice ? ` at ${venueOrder.averageFillPrice}` : ''}`,
          ]
        : ['not accepted by the venue yet'],
    },
  ];
}

function resultLinks(e: Explanation): TimelineLink[] {
  const { fills, position, outcome } = e;
  return [
    {
      key: 'fills',
      title: 'Fills',
      at: fills[0]?.filledAt ?? null,
      state: fills.length > 0 ? 'done' : 'pending',
      facts:
        fills.length > 0
          ? fills.map((f) => `${f.side} ${f.quantity} at ${f.price} (fee ${f.fee})`)
          : ['no fill yet'],
    },
    {
      key: 'position',
      title: 'Position',
      at: position?.openedAt ?? null,
      state: position ? 'done' : 'pending',
      facts: position
        ? [`${position.side} ${position.quantity} ${position.symbol} · ${position.status}`]
        : ['no position yet'],
    },
    {
      key: 'outcome',
      title: 'Outcome',
      at: outcome?.closedAt ?? null,
      state: outcome ? 'done' : 'pending',
      facts: outcome
        ? [
            `${outcome.outcomeType}: ${outcome.realisedPnl} USD (${outcome.entryPrice} → ${outcome.exitPrice})`,
          ]
        : [position?.status === 'open' ? 'position still open' : 'no outcome yet'],
    },
  ];
}

/** The eleven links of the order's chain, in causal order. */
function timelineOf(explanation: Explanation): TimelineLink[] {
  return [...signalLinks(explanation), ...executionLinks(explanation), ...resultLinks(explanation)];
}

export { type Explanation, type LinkState, type TimelineLink, timelineOf };
