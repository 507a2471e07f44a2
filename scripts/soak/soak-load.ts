/**
 * The soak's steady trading: a proposal through the API every `intervalMs`, in a fixed rotation of a
 * small crypto buy, a small crypto sell and an analysis, so the gates, the queue, the crypto worker and
 * the venue simulator see a constant load (the heartbeat adds its own agents' proposals and roundtables).
 * Each answer is counted by status; an HTTP error is counted, never thrown, so one refusal does not end
 * a 24-hour run.
 * @module
 */

const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const SOL = 'So11111111111111111111111111111111111111112';

/** The n-th proposal of the rotation; `sourceTraceId` makes each one distinct. */
export function soakProposal(n: number, runId: string): Record<string, unknown> {
  const base = {
    source: 'operator',
    sourceTraceId: `soak-${runId}-${n}`,
    agent: 'atlas',
    rationale: 'soak: steady simulated trading',
    confidence: 0.8,
  };
  switch (n % 3) {
    case 0:
      return {
        ...base,
        title: 'Soak: buy SOL with 20 USDC',
        steps: [
          {
            kind: 'execute_trade',
            market: 'crypto',
            trade: {
              market: 'crypto',
              inputMint: USDC,
              outputMint: SOL,
              side: 'buy',
              amount: '20',
              notionalUsd: '20',
              stopLoss: '1',
            },
          },
        ],
      };
    case 1:
      return {
        ...base,
        title: 'Soak: sell 0.05 SOL for USDC',
        steps: [
          {
            kind: 'execute_trade',
            market: 'crypto',
            trade: {
              market: 'crypto',
              inputMint: SOL,
              outputMint: USDC,
              side: 'sell',
              amount: '0.05',
              stopLoss: '1',
            },
          },
        ],
      };
    default:
      return {
        ...base,
        title: 'Soak: analyze SOL momentum',
        steps: [{ kind: 'analyze', market: 'crypto', topic: `SOL momentum ${n}` }],
      };
  }
}

export interface LoadOptions {
  readonly dashboardUrl: string;
  readonly apiKey: string;
  readonly intervalMs: number;
  readonly runId: string;
  readonly fetch?: typeof fetch;
}

export class TradingLoad {
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;
  private inFlight: Promise<void> = Promise.resolve();
  /** Answers by `status` (the proposal's) or `http <code>` / `error` (no decision). */
  readonly outcomes = new Map<string, number>();

  constructor(private readonly options: LoadOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      // One at a time: a slow answer delays the next proposal rather than piling requests up.
      this.inFlight = this.inFlight.then(() => this.submitOne());
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  /** Submits the next proposal of the rotation and counts its outcome. */
  async submitOne(): Promise<void> {
    const body = soakProposal(this.sent, this.options.runId);
    this.sent += 1;
    const doFetch = this.options.fetch ?? fetch;
    let outcome: string;
    try {
      const response = await doFetch(`${this.options.dashboardUrl}/api/proposals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const answer = (await response.json().catch(() => ({}))) as {
        status?: string;
        reasonCode?: string | null;
      };
      outcome = response.ok
        ? [answer.status ?? 'unknown', answer.reasonCode].filter(Boolean).join(': ')
        : `http ${response.status}`;
    } catch (error) {
      outcome = `error: ${error instanceof Error ? error.name : 'unknown'}`;
    }
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  summary(): string {
    return [...this.outcomes]
      .sort((a, b) => b[1] - a[1])
      .map(([outcome, count]) => `${count} ${outcome}`)
      .join(', ');
  }
}
