import { Agent, eventPayloadSchemas, Market } from '@atc/contracts';
import { benchEvents, TRADE_EVENT_TYPES } from './bench-events';

describe('benchEvents', () => {
  const events = [...benchEvents(10 * TRADE_EVENT_TYPES.length + 3)];

  it('yields the count asked, each trade in the order the system writes its events', () => {
    expect(events).toHaveLength(83);
    expect(events.slice(0, 8).map((event) => event.type)).toEqual([...TRADE_EVENT_TYPES]);
    expect(events.slice(80).map((event) => event.type)).toEqual(TRADE_EVENT_TYPES.slice(0, 3));
  });

  it('writes payloads the contracts accept, with a known market and agent', () => {
    for (const event of events) {
      expect(eventPayloadSchemas[event.type].safeParse(event.payload).error).toBeUndefined();
      expect(Market.safeParse(event.market).success).toBe(true);
      if (event.agent !== undefined) expect(Agent.safeParse(event.agent).success).toBe(true);
    }
  });

  it('links one trade: the order of the fill is the order created, the mission names the proposal', () => {
    const byType = new Map(events.slice(8, 16).map((event) => [event.type, event.payload]));
    const created = byType.get('order_created') as { orderId: string };
    const fill = byType.get('fill_recorded') as { orderId: string };
    const decided = byType.get('proposal_decided') as { proposalId: string };
    const mission = byType.get('mission_created') as { proposalId: string };
    expect(fill.orderId).toBe(created.orderId);
    expect(mission.proposalId).toBe(decided.proposalId);
    // The next trade has ids of its own.
    const next = events[16 + 4]!.payload as { orderId: string };
    expect(next.orderId).not.toBe(created.orderId);
  });
});
