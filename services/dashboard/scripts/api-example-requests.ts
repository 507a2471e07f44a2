/**
 * What `npm run api:examples` sends to each route. A route without path parameters or a body is called
 * as it is, by the least role its permission needs; a route with either needs an entry here (the
 * generator stops, naming it, otherwise). Entries run first, in this order, so a write (submitting a
 * proposal) makes the data that later reads show; `from` reads an earlier response.
 * @module
 */
import type { ApiRole } from '@atc/contracts';

export interface ExampleContext {
  /** The JSON body an earlier example (by `METHOD path`) answered. */
  from(route: string): unknown;
}

export interface ExampleRequest {
  /** `METHOD path` exactly as the route declares it. */
  readonly route: string;
  /** The role whose key sends it (default: the least role the route's permission needs). */
  readonly role?: ApiRole;
  readonly params?: (context: ExampleContext) => Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: (context: ExampleContext) => unknown;
  /** Sent with the heartbeat token instead of an API key (POST /api/heartbeat). */
  readonly heartbeatToken?: boolean;
  /** How deep the shown answer goes before nested objects show as `{…}` (default 5). */
  readonly shownDepth?: number;
  /** A 5xx this example documents on purpose (any other 5xx stops the generator). */
  readonly expectedServerError?: number;
}

/** A field of an earlier answer, e.g. `field(context.from('POST /api/proposals'), 'id')`. */
export function field(value: unknown, name: string): string {
  if (typeof value === 'object' && value !== null && name in value) {
    return String((value as Record<string, unknown>)[name]);
  }
  throw new Error(`the earlier example's answer has no field ${name}`);
}

/** The `index`-th item of an earlier page answer (`{ items: [...] }`). */
export function item(value: unknown, index: number): unknown {
  const items =
    typeof value === 'object' && value !== null ? (value as { items?: unknown }).items : undefined;
  if (!Array.isArray(items) || items.length <= index) {
    throw new Error(`the earlier example's answer has no items[${index}]`);
  }
  return items[index] as unknown;
}

/** A proposal with one non-trade step: the gates need no price, so the approval policy decides it. */
function analyzeProposal(traceId: string, topic: string): unknown {
  return {
    source: 'operator',
    sourceTraceId: traceId,
    agent: 'atlas',
    title: `Analyze ${topic}`,
    rationale: 'example',
    confidence: 0.8,
    steps: [{ kind: 'analyze', market: 'crypto', topic }],
  };
}

/** The README's crypto example (README.md, "Proposals: units, pricing, one example per market"). */
const README_CRYPTO_PROPOSAL = {
  source: 'operator',
  sourceTraceId: 'readme-crypto-1',
  agent: 'atlas',
  title: 'Buy SOL with 20 USDC',
  rationale: 'example',
  confidence: 0.8,
  steps: [
    {
      kind: 'execute_trade',
      market: 'crypto',
      trade: {
        market: 'crypto',
        inputMint: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
        outputMint: 'So11111111111111111111111111111111111111112',
        side: 'buy',
        amount: '20',
        notionalUsd: '20',
        stopLoss: '100',
      },
    },
  ],
};

/** `analyze` taken out of the auto-approved step kinds, so an analysis proposal awaits a vote. */
const APPROVAL_POLICY = {
  autoApproveStepKinds: ['calculate_risk', 'monitor_position', 'close_position', 'roundtable'],
  autoApproveTrades: { enabled: true, maxNotionalUsd: '40', minConfidence: 0.75 },
  awaitingTtlMinutes: 60,
};

const awaiting = (context: ExampleContext, index: number) => item(context.from('GET /api/proposals'), index);

/**
 * In order: a trade proposal (the gates price it; the examples run no venue, so it shows the
 * `price_unavailable` rejection), the approval policy tuned so two analysis proposals await a vote,
 * one approved (its mission is read later) and one rejected; the kill switch engaged then released;
 * an API key created then revoked; the heartbeat without a heartbeat runner in this process (503).
 * Nothing here makes a step needing reconciliation, an order or a conversation (the workers and the
 * heartbeat do), so those reads by id and the reconciliation resolve document their 404 answers.
 */
export const EXAMPLE_REQUESTS: readonly ExampleRequest[] = [
  { route: 'POST /api/proposals', body: () => README_CRYPTO_PROPOSAL },
  {
    route: 'PUT /api/policies/:key',
    params: () => ({ key: 'approval' }),
    body: () => ({ value: APPROVAL_POLICY }),
  },
  { route: 'POST /api/proposals', body: () => analyzeProposal('examples-analyze-1', 'SOL momentum') },
  { route: 'POST /api/proposals', body: () => analyzeProposal('examples-analyze-2', 'BONK volume') },
  { route: 'GET /api/proposals', query: { status: 'awaiting_approval' } },
  {
    route: 'GET /api/proposals/:id',
    params: (c) => ({ id: field(awaiting(c, 1), 'id') }),
  },
  {
    route: 'POST /api/proposals/:id/approve',
    params: (c) => ({ id: field(awaiting(c, 1), 'id') }),
    body: (c) => ({ contentHash: field(awaiting(c, 1), 'contentHash') }),
  },
  {
    route: 'POST /api/proposals/:id/reject',
    params: (c) => ({ id: field(awaiting(c, 0), 'id') }),
    body: (c) => ({ contentHash: field(awaiting(c, 0), 'contentHash'), reason: 'not now' }),
  },
  {
    route: 'GET /api/missions/:id',
    params: (c) => ({ id: field(c.from('POST /api/proposals/:id/approve'), 'missionId') }),
  },
  { route: 'GET /api/orders/:clientOrderId', params: () => ({ clientOrderId: 'example-order-1' }) },
  { route: 'GET /api/orders/:clientOrderId/explain', params: () => ({ clientOrderId: 'example-order-1' }) },
  {
    route: 'GET /api/prices/:market/:instrument',
    params: () => ({ market: 'crypto', instrument: 'So11111111111111111111111111111111111111112' }),
  },
  { route: 'GET /api/policies/:key', params: () => ({ key: 'approval' }) },
  { route: 'GET /api/policies/:key/history', params: () => ({ key: 'approval' }) },
  { route: 'GET /api/agents/:agent/memories', params: () => ({ agent: 'atlas' }) },
  { route: 'POST /api/kill-switch/engage', body: () => ({ reason: 'venue maintenance' }) },
  { route: 'POST /api/kill-switch/release', body: () => ({ reason: 'maintenance over' }) },
  { route: 'POST /api/loss-latch/reset', body: () => ({ reason: 'loss reviewed' }) },
  {
    route: 'POST /api/reconciliation/:stepId/resolve',
    params: () => ({ stepId: '00000000-0000-4000-8000-000000000000' }),
    body: () => ({ outcome: 'not_filled', evidence: 'no order at the venue for this client order id' }),
  },
  { route: 'POST /api/api-keys', body: () => ({ name: 'grafana', role: 'viewer', expiresIn: '30d' }) },
  { route: 'DELETE /api/api-keys/:name', params: () => ({ name: 'grafana' }) },
  { route: 'POST /api/heartbeat', heartbeatToken: true, expectedServerError: 503 },
  // No OpenID Connect provider is configured here (AUTH_OIDC_CLIENT_ID): the exchange answers 404.
  {
    route: 'POST /api/auth/oidc/token',
    body: () => ({
      code: 'the-code-from-the-redirect',
      codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      redirectUri: 'http://localhost:8080/auth/callback',
    }),
  },
  // Only the heartbeat's roundtables hold conversations, and none runs here: the answer is a 404.
  {
    route: 'GET /api/conversations/:id',
    params: () => ({ id: '00000000-0000-4000-8000-000000000001' }),
  },
  { route: 'GET /api/stream', query: { since: '0' } },
  // The whole document is `GET /api/openapi.json`'s own answer; its outline is enough here.
  { route: 'GET /api/openapi.json', shownDepth: 2 },
];
