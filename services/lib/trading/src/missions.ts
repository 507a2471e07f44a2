import type { Queryable } from '@atc/platform';
import type { MissionStatus, ProposalInput, ProposedStep, StepStatus } from '@atc/contracts';
import { appendEvent } from './events.queries';
import {
  insertMission,
  insertSteps,
  selectMissionForUpdate,
  selectStepStatuses,
  updateMissionStatus,
  type NewStep,
} from './missions.queries';

/** Closing risk goes first; entries before analysis work (lower runs earlier). */
const PRIORITY: Record<ProposedStep['kind'], number> = {
  close_position: 10,
  execute_trade: 50,
  monitor_position: 60,
  calculate_risk: 80,
  analyze: 100,
  roundtable: 100,
};

/** Venue steps carry their market in a column, so routing never depends on the payload's shape. */
export function stepsFor(input: ProposalInput): NewStep[] {
  return input.steps.map((step, seq) => ({
    seq,
    kind: step.kind,
    market: 'market' in step && step.market !== undefined ? step.market : null,
    priority: PRIORITY[step.kind],
    maxAttempts: step.kind === 'execute_trade' || step.kind === 'close_position' ? 5 : 3,
    payload: step,
  }));
}

/** Creates the mission and its queued steps, in the approving transaction. */
export async function createMission(
  client: Queryable,
  proposal: { id: string; input: ProposalInput },
): Promise<{ missionId: string; stepIds: string[] }> {
  const missionId = await insertMission(client, { proposalId: proposal.id, title: proposal.input.title });
  const stepIds = await insertSteps(client, missionId, stepsFor(proposal.input));
  await appendEvent(client, {
    type: 'mission_created',
    aggregateType: 'mission',
    aggregateId: missionId,
    agent: proposal.input.agent,
    payload: { missionId, proposalId: proposal.id, title: proposal.input.title, stepIds },
  });
  return { missionId, stepIds };
}

/**
 * A mission's status from its steps: all succeeded → succeeded; anything still to do → queued (none
 * started) or running; otherwise finished with a failure → failed; all cancelled → cancelled.
 * `needs_reconciliation` is unfinished: the venue may still have filled it.
 */
export function missionStatusFromSteps(steps: readonly StepStatus[]): MissionStatus {
  if (steps.length === 0) return 'cancelled';
  if (steps.every((s) => s === 'succeeded')) return 'succeeded';
  if (steps.every((s) => s === 'cancelled')) return 'cancelled';
  const unfinished = steps.filter((s) =>
    ['queued', 'running', 'executing', 'needs_reconciliation'].includes(s),
  );
  if (unfinished.length > 0) {
    return steps.every((s) => s === 'queued') ? 'queued' : 'running';
  }
  return steps.some((s) => s === 'failed' || s === 'dead') ? 'failed' : 'succeeded';
}

/** Recomputes and stores a mission's status; call it in the transaction that changed a step. */
export async function rollUpMissionStatus(client: Queryable, missionId: string): Promise<MissionStatus> {
  const current = await selectMissionForUpdate(client, missionId);
  if (!current) throw new Error(`mission ${missionId} does not exist`);
  const next = missionStatusFromSteps(await selectStepStatuses(client, missionId));
  if (next !== current.status) {
    await updateMissionStatus(client, missionId, next);
    await appendEvent(client, {
      type: 'mission_status_changed',
      aggregateType: 'mission',
      aggregateId: missionId,
      payload: { missionId, from: current.status, to: next },
    });
  }
  return next;
}
