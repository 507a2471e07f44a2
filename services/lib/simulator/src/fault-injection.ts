/**
 * Faults injected per endpoint key (`tradier.place_order`, `solana.sendTransaction`, `tradier.*`,
 * `*`), through `POST /_sim/faults` or `SIM_FAULTS` (a JSON array of the same rules):
 * - `latencyMs`: delay before answering;
 * - `outage`: every request answers 503 until the rule is removed;
 * - `failNext` + `errorStatus`: the next N requests fail (a burst of 5xx);
 * - `errorRate` + `errorStatus`: each request fails with that probability (seeded, reproducible);
 * - `rateLimitNext` + `retryAfterSeconds`: the next N requests answer 429 with Retry-After;
 * - `acceptThenTimeoutNext` + `timeoutMode`: the next N requests are processed (the order is
 *   accepted) and then the answer never arrives: the connection is reset, or hangs for `hangMs`.
 * @module
 */
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { SeededStream } from './seeded-random';

export const faultRuleSchema = z
  .object({
    endpoint: z.string().min(1).max(200),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    outage: z.boolean().optional(),
    failNext: z.number().int().min(0).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    errorStatus: z.number().int().min(400).max(599).optional(),
    rateLimitNext: z.number().int().min(0).optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    acceptThenTimeoutNext: z.number().int().min(0).optional(),
    timeoutMode: z.enum(['reset', 'hang']).optional(),
    hangMs: z.number().int().min(0).max(600_000).optional(),
  })
  // An unknown key is a typo whose fault would silently never fire: refused, not dropped.
  .strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;

export const faultRulesSchema = z.array(faultRuleSchema);

/** `path: message` per issue, naming unknown keys: `0.explode: unknown key`. */
export function describeFaultRuleIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${[...issue.path, key].map(String).join('.')}: unknown key`);
    }
    const path = issue.path.map(String).join('.');
    return [path ? `${path}: ${issue.message}` : issue.message];
  });
}

export interface SubmissionIdentity {
  readonly venue: 'tradier' | 'projectx' | 'nebula' | 'solana';
  readonly clientOrderId: string | null;
}

type Blocked = { status: number; retryAfterSeconds?: number };

export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly random: SeededStream;

  constructor(seed: number, initial: readonly FaultRule[] = []) {
    this.random = new SeededStream(seed, 'faults');
    this.rules = [...initial];
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
  }

  private matching(key: string): FaultRule[] {
    return this.rules.filter(
      (r) =>
        r.endpoint === '*' ||
        r.endpoint === key ||
        (r.endpoint.endsWith('.*') && key.startsWith(r.endpoint.slice(0, -1))),
    );
  }

  latencyFor(key: string): number {
    return Math.max(0, ...this.matching(key).map((r) => r.latencyMs ?? 0));
  }

  /** Decides, consuming one unit of any burst, whether this request fails before it is processed. */
  blockFor(key: string): Blocked | undefined {
    for (const rule of this.matching(key)) {
      if (rule.outage) return { status: 503 };
      if ((rule.failNext ?? 0) > 0) {
        rule.failNext! -= 1;
        return { status: rule.errorStatus ?? 503 };
      }
      if ((rule.rateLimitNext ?? 0) > 0) {
        rule.rateLimitNext! -= 1;
        return { status: 429, retryAfterSeconds: rule.retryAfterSeconds ?? 1 };
      }
      if (rule.errorRate !== undefined && this.random.next() < rule.errorRate)
        return { status: rule.errorStatus ?? 500 };
    }
    return undefined;
  }

  /** Whether this request should be processed and then left unanswered. */
  acceptThenTimeout(key: string): { mode: 'reset' | 'hang'; hangMs: number } | undefined {
    for (const rule of this.matching(key)) {
      if ((rule.acceptThenTimeoutNext ?? 0) > 0) {
        rule.acceptThenTimeoutNext! -= 1;
        return { mode: rule.timeoutMode ?? 'reset', hangMs: rule.hangMs ?? 60_000 };
      }
    }
    return undefined;
  }
}

function errorBody(key: string, status: number): unknown {
  if (key.startsWith('anthropic.')) {
    const type = status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : 'api_error';
    return { type: 'error', error: { type, message: 'simulated fault' }, request_id: 'req_sim_fault' };
  }
  if (key.startsWith('solana.'))
    return { jsonrpc: '2.0', id: null, error: { code: status, message: 'simulated fault' } };
  return { error: 'simulated fault', status };
}

/** Leaves the request unanswered after the handler ran: reset the socket now, or hang then reset. */
function withholdResponse(req: Request, res: Response, mode: 'reset' | 'hang', hangMs: number): void {
  const socket = req.socket;
  res.end = (() => {
    if (mode === 'reset') socket.destroy();
    else setTimeout(() => socket.destroy(), hangMs).unref();
    return res;
  }) as Response['end'];
}

export interface FaultedRouteOptions {
  readonly faults: FaultInjector;
  readonly key: string;
  /** For order submissions: how to journal a request that a fault refused. */
  readonly onRefusedSubmission?: (req: Request) => void;
}

/** Wraps a route handler with the faults configured for its endpoint key. */
export function faulted(options: FaultedRouteOptions, handler: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    const { faults, key } = options;
    const latency = faults.latencyFor(key);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const blocked = faults.blockFor(key);
    if (blocked) {
      options.onRefusedSubmission?.(req);
      if (blocked.retryAfterSeconds !== undefined)
        res.setHeader('retry-after', String(blocked.retryAfterSeconds));
      res.status(blocked.status).json(errorBody(key, blocked.status));
      return;
    }
    const timeout = faults.acceptThenTimeout(key);
    if (timeout) withholdResponse(req, res, timeout.mode, timeout.hangMs);
    return handler(req, res, next);
  };
}
