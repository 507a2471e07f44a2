/**
 * What the suite asks the operator API directly (docs/api/README.md): submitting proposals the page
 * should then show, and reading back ids to look for in the page. Answers are the API's JSON; the
 * suite reads only the fields it names here.
 * @module
 */

export interface ProposalDecision {
  readonly proposalId: string;
  readonly status: string;
  readonly reasonCode: string | null;
  readonly reasonMessage: string | null;
}

export interface ProposalDetail {
  readonly contentHash: string;
  readonly status: string;
  readonly gateResults: readonly { status: string; decidedBy: string }[];
  readonly orders: readonly { clientOrderId: string; status: string }[];
}

export interface OrderItem {
  readonly id: string;
  readonly status: string;
  readonly filledQuantity: string;
}

export interface EventItem {
  readonly id: string;
  readonly type: string;
}

export class OperatorApi {
  constructor(
    readonly base: string,
    private readonly key: string,
  ) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  submitProposal(proposal: unknown): Promise<ProposalDecision> {
    return this.request('POST', '/api/proposals', proposal);
  }

  proposal(id: string): Promise<ProposalDetail> {
    return this.request('GET', `/api/proposals/${id}`);
  }

  order(clientOrderId: string): Promise<OrderItem> {
    return this.request('GET', `/api/orders/${encodeURIComponent(clientOrderId)}`);
  }

  /** The newest events (of one type when given), newest first. */
  async events(type?: string): Promise<EventItem[]> {
    const query = new URLSearchParams({ limit: '100', ...(type ? { type } : {}) });
    const page = await this.request<{ items: EventItem[] }>('GET', `/api/events?${query.toString()}`);
    return page.items;
  }
}

let traces = 0;
const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
export const SOL = 'So11111111111111111111111111111111111111112';

/**
 * A crypto buy of SOL for `usd` USDC with a stop at 100 (the simulator starts SOL near 150). Above the
 * approval policy's auto-approval limit (40 USD, services/lib/trading/src/seed-data.ts) and within the
 * trade limits (60 USD a position), it awaits an operator's approval.
 */
export function solBuyProposal(title: string, usd: number) {
  traces += 1;
  return {
    source: 'operator',
    // Printable ASCII without spaces, unique per submission (a replayed one answers the first decision).
    sourceTraceId: `web-e2e-${process.pid}-${Date.now()}-${traces}`,
    agent: 'atlas',
    title,
    rationale: 'web end-to-end suite',
    confidence: 0.8,
    steps: [
      {
        kind: 'execute_trade',
        market: 'crypto',
        trade: {
          market: 'crypto',
          inputMint: USDC,
          outputMint: SOL,
          side: 'buy',
          amount: String(usd),
          notionalUsd: String(usd),
          stopLoss: '100',
        },
      },
    ],
  };
}
