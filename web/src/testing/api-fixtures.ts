/**
 * Answers of the operator API for the views' tests, each parsed by its contracts schema, so a fixture
 * that drifts from the API's shape fails here rather than passing a view that the real API would break.
 * @module
 */
import { ProposalDetail, ProposalItem, StatusResponse, StreamTicket } from '@atc/contracts';

const NOW = '2026-12-07T12:00:00.000Z';
const PROPOSAL_ID = '1430a42b-7b57-4390-a300-e540662cc2c6';
const CONTENT_HASH = 'ab'.repeat(32);

function statusFixture(
  overrides: { realisedToday?: string; killSwitch?: boolean; heartbeat?: unknown } = {},
) {
  return StatusResponse.parse({
    asOf: NOW,
    markets: [{ market: 'crypto', open: true, session: 'always' }],
    positions: [],
    pnl: {
      tradingDay: '2026-12-07',
      timeZone: 'America/New_York',
      realisedToday: overrides.realisedToday ?? '12.50',
      realisedTodayByMarket: { crypto: overrides.realisedToday ?? '12.50' },
      unrealised: '0',
      unmarkedPositions: 0,
    },
    queue: [{ market: 'crypto', status: 'queued', count: 3 }],
    heartbeat: { lastRun: overrides.heartbeat ?? null },
    breakers: [],
    halts: {
      global: overrides.killSwitch ? { reason: 'drill', by: 'ops', since: NOW } : null,
      markets: { crypto: null, options: null, futures: null },
      lossLatch: null,
    },
    reconciliation: { count: 0, oldestAgeSeconds: null },
    workers: [],
  });
}

const emptyPage = { items: [], nextCursor: null };

function proposalFixture(status = 'awaiting_approval') {
  return ProposalItem.parse({
    id: PROPOSAL_ID,
    source: 'agent',
    sourceTraceId: 'trace-1',
    agent: 'atlas',
    title: 'Buy SOL with 20 USDC',
    confidence: '0.8',
    contentHash: CONTENT_HASH,
    status,
    reasonCode: null,
    reasonMessage: null,
    policyVersion: 3,
    expiresAt: null,
    decidedBy: null,
    decidedAt: null,
    createdAt: NOW,
    missionId: null,
  });
}

function proposalDetailFixture() {
  return ProposalDetail.parse({
    ...proposalFixture(),
    content: {
      source: 'agent',
      sourceTraceId: 'trace-1',
      agent: 'atlas',
      title: 'Buy SOL with 20 USDC',
      rationale: 'example',
      confidence: 0.8,
      steps: [{ kind: 'analyze', topic: 'SOL trend' }],
    },
    gateResults: [
      {
        at: NOW,
        status: 'awaiting_approval',
        reasonCode: 'position_size',
        reasonMessage: 'notional 2500 USD exceeds the crypto limit of 1000 USD',
        policyVersion: 3,
        decidedBy: 'risk_gates',
      },
    ],
    admissions: [],
    orders: [],
    votes: [
      {
        at: NOW,
        conversationId: '2f7c4f1e-3b7a-4c0e-9d43-7a1f0c2b9e11',
        agent: 'sage',
        vote: 'approve',
        reason: 'the trend holds',
      },
    ],
  });
}

function ticketFixture(role: 'viewer' | 'operator' | 'admin') {
  return { status: 201, body: StreamTicket.parse({ ticket: `atcst_${role}`, expiresAt: NOW, role }) };
}

/** A finished heartbeat run whose reconcile phase failed. */
const heartbeatFixture = {
  id: '7d1c1a8e-2f0b-4a57-9a43-1f6f0e9a2b3c',
  status: 'partial_failure',
  owner: 'host:1',
  startedAt: NOW,
  finishedAt: NOW,
  durationMs: 812,
  errors: [{ phase: 'reconcile', code: 'budget_exceeded', message: 'over its 500 ms budget' }],
  phases: [
    { name: 'evaluate_triggers', status: 'success', durationMs: 41 },
    { name: 'reconcile', status: 'failed', durationMs: 760 },
  ],
};

export {
  CONTENT_HASH,
  heartbeatFixture,
  emptyPage,
  PROPOSAL_ID,
  proposalDetailFixture,
  proposalFixture,
  statusFixture,
  ticketFixture,
};
