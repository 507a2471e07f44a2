/**
 * Test data for the orders view: an order in the API's list shape and its explain chain, both valid
 * against the contracts' schemas (the tests parse them).
 * @module
 */
import type { OrderExplanation, OrderItem } from '@atc/contracts';

type Order = ReturnType<typeof OrderItem.parse>;
type Explanation = ReturnType<typeof OrderExplanation.parse>;

const PROPOSAL_ID = '11111111-1111-4111-8111-111111111111';
const MISSION_ID = '22222222-2222-4222-8222-222222222222';
const STEP_ID = '33333333-3333-4333-8333-333333333333';
const POSITION_ID = '44444444-4444-4444-8444-444444444444';

function orderItem(overrides: Partial<Order> = {}): Order {
  return {
    id: '55555555-5555-4555-8555-555555555555',
    clientOrderId: 'atc-0001',
    stepId: STEP_ID,
    attempt: 1,
    market: 'crypto',
    symbol: 'SOL',
    side: 'buy',
    orderType: 'market',
    quantity: '0.2',
    limitPrice: null,
    multiplier: '1',
    status: 'filled',
    venueOrderId: 'v-1',
    filledQuantity: '0.2',
    averageFillPrice: '150.5',
    lastError: null,
    admittedNotionalUsd: '30',
    priceSource: 'mark',
    pricedAt: '2031-01-01T10:00:00.000Z',
    sendPrice: '150',
    sendNotionalUsd: '30',
    createdAt: '2031-01-01T10:00:01.000Z',
    updatedAt: '2031-01-01T10:00:02.000Z',
    ...overrides,
  };
}

function explanation(overrides: Partial<Explanation> = {}): Explanation {
  return {
    signal: { source: 'agent', sourceTraceId: 'trace-1', agent: 'intel' },
    proposal: {
      id: PROPOSAL_ID,
      source: 'agent',
      sourceTraceId: 'trace-1',
      agent: 'intel',
      title: 'Buy SOL on momentum',
      confidence: '0.8',
      contentHash: 'a'.repeat(64),
      status: 'approved',
      reasonCode: null,
      reasonMessage: null,
      policyVersion: 3,
      expiresAt: null,
      decidedBy: 'gates',
      decidedAt: '2031-01-01T09:59:59.000Z',
      createdAt: '2031-01-01T09:59:58.000Z',
      missionId: MISSION_ID,
    },
    gates: {
      results: [
        {
          at: '2031-01-01T09:59:59.000Z',
          status: 'approved',
          reasonCode: null,
          reasonMessage: null,
          policyVersion: 3,
          decidedBy: 'gates',
        },
      ],
      admissions: [
        {
          stepSeq: 1,
          market: 'crypto',
          instrument: 'SOL',
          quantity: '0.2',
          multiplier: '1',
          price: '150',
          notionalUsd: '30',
          priceSource: 'mark',
          pricedAt: '2031-01-01T09:59:50.000Z',
        },
      ],
    },
    approval: { status: 'approved', decidedBy: 'gates', decidedAt: '2031-01-01T09:59:59.000Z' },
    mission: {
      id: MISSION_ID,
      proposalId: PROPOSAL_ID,
      title: 'Buy SOL on momentum',
      status: 'succeeded',
      markets: ['crypto'],
      createdAt: '2031-01-01T10:00:00.000Z',
      updatedAt: '2031-01-01T10:00:03.000Z',
      finishedAt: '2031-01-01T10:00:03.000Z',
    },
    step: {
      id: STEP_ID,
      seq: 1,
      kind: 'execute_trade',
      market: 'crypto',
      status: 'succeeded',
      attempt: 1,
      maxAttempts: 3,
      leaseOwner: null,
      leaseExpiresAt: null,
      lastError: null,
      runAfter: '2031-01-01T10:00:00.000Z',
      startedAt: '2031-01-01T10:00:00.500Z',
      finishedAt: '2031-01-01T10:00:03.000Z',
      payload: {},
      result: {},
    },
    intent: {
      clientOrderId: 'atc-0001',
      attempt: 1,
      createdAt: '2031-01-01T10:00:01.000Z',
      request: {},
      admittedNotionalUsd: '30',
      sendPrice: '150',
    },
    venueOrder: { venueOrderId: 'v-1', status: 'filled', filledQuantity: '0.2', averageFillPrice: '150.5' },
    fills: [
      {
        id: '66666666-6666-4666-8666-666666666666',
        venueFillId: 'f-1',
        positionId: POSITION_ID,
        side: 'buy',
        quantity: '0.2',
        price: '150.5',
        fee: '0.01',
        realisedPnl: '0',
        filledAt: '2031-01-01T10:00:02.000Z',
      },
    ],
    position: {
      id: POSITION_ID,
      market: 'crypto',
      symbol: 'SOL',
      side: 'long',
      status: 'open',
      quantity: '0.2',
      averagePrice: '150.5',
      multiplier: '1',
      realisedPnl: '0',
      markPrice: '151',
      markedAt: '2031-01-01T10:05:00.000Z',
      unrealisedPnl: '0.1',
      stopLoss: '140',
      takeProfit: '170',
      openedAt: '2031-01-01T10:00:02.000Z',
      closedAt: null,
    },
    outcome: null,
    ...overrides,
  };
}

export { explanation, orderItem };
