import type { PoolClient } from 'pg';
import type { Agent, EventPayload, EventType } from '@atc/contracts';
import type { NewEvent } from '@atc/trading';
import type { NewMemory } from './agent-work.queries';

/** What one kind of agent step is given: the open transaction, the step, who proposed it, and now. */
export interface AgentStepInput<Payload> {
  readonly client: PoolClient;
  readonly stepId: string;
  readonly payload: Payload;
  readonly proposer: Agent;
  readonly proposalId: string;
  readonly now: Date;
}

/**
 * What it decided: the one memory that marks the step done (written last, keyed by step id), the
 * step's result, and any events beside `memory_created`.
 */
export interface AgentStepWork {
  readonly memory: Omit<NewMemory, 'sourceTraceId'>;
  readonly result: Record<string, unknown>;
  readonly events?: readonly NewEvent<EventType>[];
}

export type EventOf<T extends EventType> = NewEvent<T> & { readonly payload: EventPayload<T> };
