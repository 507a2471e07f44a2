import type { Queryable } from '@atc/platform';
import type { ProposalInput, ProposedStep } from '@atc/contracts';
import { appendEvent } from './events.queries';
import { insertMission, insertSteps, type NewStep } from './missions.queries';

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
