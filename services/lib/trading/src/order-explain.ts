/**
 * Explain every order: from an order back to the signal that caused it and forward to what became of
 * it — signal → proposal → gate results → approval → mission → step → intent → venue order → fills →
 * position → outcome. Every link is read from the ledger, none inferred; a link not reached yet is
 * null (no venue order before the venue accepted it, no outcome while the position is open).
 * @module
 */
import type { Queryable } from '@atc/platform';
import type { Agent, OrderStatus, ProposalSource, ProposalStatus } from '@atc/contracts';
import { selectProposalAdmissions, type EntryAdmission } from './entry-pricing.queries';
import { selectMissionView, selectStepView, type MissionView, type StepView } from './mission-views.queries';
import { selectOrderFills, selectOrderView, type FillView, type OrderView } from './order-views.queries';
import {
  selectPositionOutcome,
  selectPositionView,
  type OutcomeView,
  type PositionView,
} from './position-views.queries';
import { selectGateResults, type GateResultRow } from './proposal-views.queries';
import { selectProposal, type ProposalRow } from './proposals.queries';

export interface OrderExplanation {
  readonly signal: { readonly source: ProposalSource; readonly sourceTraceId: string; readonly agent: Agent };
  readonly proposal: ProposalRow;
  readonly gates: {
    readonly results: readonly GateResultRow[];
    readonly admissions: readonly (EntryAdmission & { readonly stepSeq: number })[];
  };
  readonly approval: {
    readonly status: ProposalStatus;
    readonly decidedBy: string;
    readonly decidedAt: Date;
  } | null;
  readonly mission: MissionView;
  readonly step: StepView;
  readonly intent: {
    readonly clientOrderId: string;
    readonly attempt: number;
    readonly createdAt: Date;
    readonly request: unknown;
    readonly admittedNotionalUsd: string | null;
    readonly sendPrice: string | null;
  };
  readonly venueOrder: {
    readonly venueOrderId: string;
    readonly status: OrderStatus;
    readonly filledQuantity: string;
    readonly averageFillPrice: string | null;
  } | null;
  readonly fills: readonly FillView[];
  readonly position: PositionView | null;
  readonly outcome: OutcomeView | null;
  /** The order itself, as `GET /api/orders/:clientOrderId` shows it. */
  readonly order: OrderView;
}

/** The chain of the order with this client order id; undefined when there is no such order. */
export async function explainOrder(
  db: Queryable,
  clientOrderId: string,
): Promise<OrderExplanation | undefined> {
  const order = await selectOrderView(db, clientOrderId);
  if (!order) return undefined;
  // The ledger's foreign keys guarantee each of these rows exists once the order does.
  const step = await required(selectStepView(db, order.stepId), `step ${order.stepId}`);
  const mission = await required(selectMissionView(db, step.missionId), `mission ${step.missionId}`);
  const proposal = await required(selectProposal(db, mission.proposalId), `proposal ${mission.proposalId}`);
  const [results, admissions, fills] = await Promise.all([
    selectGateResults(db, proposal.id),
    selectProposalAdmissions(db, proposal.id),
    selectOrderFills(db, order.id),
  ]);
  const positionId = fills.findLast((fill) => fill.positionId !== null)?.positionId ?? null;
  const position = positionId === null ? undefined : await selectPositionView(db, positionId);
  const outcome = position?.status === 'closed' ? await selectPositionOutcome(db, position.id) : undefined;
  return {
    signal: { source: proposal.source, sourceTraceId: proposal.sourceTraceId, agent: proposal.agent },
    proposal,
    gates: { results, admissions },
    approval:
      proposal.status === 'approved' && proposal.decidedBy !== null && proposal.decidedAt !== null
        ? { status: proposal.status, decidedBy: proposal.decidedBy, decidedAt: proposal.decidedAt }
        : null,
    mission,
    step,
    intent: {
      clientOrderId: order.clientOrderId,
      attempt: order.attempt,
      createdAt: order.createdAt,
      request: order.intent,
      admittedNotionalUsd: order.admittedNotionalUsd,
      sendPrice: order.sendPrice,
    },
    venueOrder:
      order.venueOrderId === null
        ? null
        : {
            venueOrderId: order.venueOrderId,
            status: order.status,
            filledQuantity: order.filledQuantity,
            averageFillPrice: order.averageFillPrice,
          },
    fills,
    position: position ?? null,
    outcome: outcome ?? null,
    order,
  };
}

async function required<Row>(read: Promise<Row | undefined>, what: string): Promise<Row> {
  const row = await read;
  if (row === undefined) throw new Error(`the ledger is inconsistent: ${what} is missing`);
  return row;
}
