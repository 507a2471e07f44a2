/**
 * The events bench:web writes: one trade's life, over and over — intel's signal, the proposal's
 * decision, its mission and step, the order, its acceptance, the fill and the position — with the
 * payloads the contracts define (`eventPayloadSchemas`) and the columns the system sets (aggregate,
 * market, agent), so the feed renders what it renders in production.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { agents, markets, type EventType } from '@atc/contracts';
import type { NewEvent } from '@atc/trading';

/** The events of one trade, in the order the system writes them. */
export const TRADE_EVENT_TYPES = [
  'signal_detected',
  'proposal_decided',
  'mission_created',
  'steps_status_changed',
  'order_created',
  'order_status_changed',
  'fill_recorded',
  'position_changed',
] as const satisfies readonly EventType[];

const SYMBOLS = { crypto: 'SOL', options: 'SPY250117C00600000', futures: 'MESZ6' } as const;
const PRICES = { crypto: 184.25, options: 4.35, futures: 6012.5 } as const;

/** The ids one trade's events share. */
interface Trade {
  readonly n: number;
  readonly market: (typeof markets)[number];
  readonly agent: (typeof agents)[number];
  readonly proposalId: string;
  readonly missionId: string;
  readonly stepId: string;
  readonly orderId: string;
  readonly clientOrderId: string;
}

function tradeOf(n: number): Trade {
  return {
    n,
    market: markets[n % markets.length]!,
    agent: agents[n % agents.length]!,
    proposalId: randomUUID(),
    missionId: randomUUID(),
    stepId: randomUUID(),
    orderId: randomUUID(),
    clientOrderId: `atc-bench-${n}`,
  };
}

type AnyNewEvent = { [T in EventType]: NewEvent<T> }[EventType];

/** The event of `type` in trade `trade`; prices move a little from trade to trade. */
function tradeEvent(trade: Trade, type: (typeof TRADE_EVENT_TYPES)[number]): AnyNewEvent {
  const { market, agent } = trade;
  const symbol = SYMBOLS[market];
  const price = (PRICES[market] * (1 + ((trade.n % 21) - 10) / 1000)).toFixed(2);
  const quantity = market === 'crypto' ? '1.5' : '2';
  switch (type) {
    case 'signal_detected':
      return {
        type,
        market,
        agent: 'intel',
        tags: ['signal'],
        payload: {
          market,
          instrument: symbol,
          direction: 'long',
          kinds: ['momentum', 'volume_spike'],
          confidence: 0.72,
          last: price,
          proposalId: null,
        },
      };
    case 'proposal_decided':
      return {
        type,
        market,
        agent,
        aggregateType: 'proposal',
        aggregateId: trade.proposalId,
        payload: {
          proposalId: trade.proposalId,
          agent,
          title: `Buy ${quantity} ${symbol} on momentum`,
          status: 'approved',
          reasonCode: null,
          reasonMessage: null,
          policyVersion: 3,
          decidedBy: 'risk-engine',
        },
      };
    case 'mission_created':
      return {
        type,
        market,
        agent,
        aggregateType: 'mission',
        aggregateId: trade.missionId,
        payload: {
          missionId: trade.missionId,
          proposalId: trade.proposalId,
          title: `Buy ${quantity} ${symbol}`,
          stepIds: [trade.stepId],
        },
      };
    case 'steps_status_changed':
      return {
        type,
        market,
        aggregateType: 'step',
        payload: {
          changes: [
            {
              stepId: trade.stepId,
              missionId: trade.missionId,
              market,
              from: 'queued',
              to: 'running',
              error: null,
            },
          ],
        },
      };
    default:
      return orderEvent(trade, type, { symbol, price, quantity });
  }
}

/** The order's events: created, accepted, filled, and the position it changes. */
function orderEvent(
  trade: Trade,
  type: 'order_created' | 'order_status_changed' | 'fill_recorded' | 'position_changed',
  order: { symbol: string; price: string; quantity: string },
): AnyNewEvent {
  const { market } = trade;
  const common = { market, aggregateType: 'order', aggregateId: trade.orderId } as const;
  switch (type) {
    case 'order_created':
      return {
        ...common,
        type,
        payload: {
          orderId: trade.orderId,
          stepId: trade.stepId,
          clientOrderId: trade.clientOrderId,
          market,
          symbol: order.symbol,
          side: 'buy',
          quantity: order.quantity,
        },
      };
    case 'order_status_changed':
      return {
        ...common,
        type,
        payload: {
          orderId: trade.orderId,
          clientOrderId: trade.clientOrderId,
          from: 'submitted',
          to: 'filled',
          venueOrderId: `sim-${trade.n}`,
        },
      };
    case 'fill_recorded':
      return {
        ...common,
        type,
        payload: {
          fillId: randomUUID(),
          orderId: trade.orderId,
          market,
          symbol: order.symbol,
          side: 'buy',
          quantity: order.quantity,
          price: order.price,
          realisedPnl: '0',
        },
      };
    case 'position_changed':
      return {
        market,
        type,
        aggregateType: 'position',
        aggregateId: trade.orderId,
        payload: {
          positionId: trade.orderId,
          market,
          symbol: order.symbol,
          side: 'long',
          quantity: order.quantity,
          averagePrice: order.price,
          realisedPnl: '0',
          status: 'open',
        },
      };
  }
}

/**
 * The events bench:web writes, generated lazily: `count` events, each trade's in its order.
 */
export function* benchEvents(count: number): Generator<AnyNewEvent> {
  let trade = tradeOf(0);
  for (let i = 0; i < count; i += 1) {
    const step = i % TRADE_EVENT_TYPES.length;
    if (step === 0 && i > 0) trade = tradeOf(i / TRADE_EVENT_TYPES.length);
    yield tradeEvent(trade, TRADE_EVENT_TYPES[step]!);
  }
}
