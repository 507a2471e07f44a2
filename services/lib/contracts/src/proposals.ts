import { z } from 'zod';
import { Agent, ProposalSource, ProposalStatus, RejectionReason } from './enums';
import { Fraction } from './money';
import { ProposedStep } from './trade-payloads';

/**
 * The one shape every source submits (agents, triggers, reactions, roundtables, operators).
 * `sourceTraceId` makes intake idempotent: a replay returns the first decision and creates nothing.
 */
export const ProposalInput = z
  .object({
    source: ProposalSource,
    sourceTraceId: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    agent: Agent,
    title: z.string().trim().min(1).max(200),
    rationale: z.string().max(4000).optional(),
    /** The proposer's confidence as a fraction (0.75 = 75 %). */
    confidence: Fraction,
    steps: z.array(ProposedStep).min(1).max(10),
  })
  .strict();
export type ProposalInput = z.infer<typeof ProposalInput>;

/** What intake, approval and expiry answer. */
export interface ProposalDecision {
  readonly proposalId: string;
  readonly status: ProposalStatus;
  readonly reasonCode: RejectionReason | null;
  readonly reasonMessage: string | null;
  /** The global policy version the decision was made under. */
  readonly policyVersion: number | null;
  readonly missionId: string | null;
  /** true when this call replayed an earlier submission with the same sourceTraceId. */
  readonly replayed: boolean;
}

export const ProposalSummary = z.object({
  id: z.string().uuid(),
  source: ProposalSource,
  sourceTraceId: z.string(),
  agent: Agent,
  title: z.string(),
  confidence: z.number(),
  status: ProposalStatus,
  reasonCode: RejectionReason.nullable(),
  reasonMessage: z.string().nullable(),
  policyVersion: z.number().nullable(),
  contentHash: z.string(),
  missionId: z.string().uuid().nullable(),
  decidedBy: z.string().nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ProposalSummary = z.infer<typeof ProposalSummary>;

/** Deeper than this, `canonicalJson` refuses instead of recursing (inputs are held to `JSON_LIMITS`). */
export const CANONICAL_JSON_MAX_DEPTH = 256;

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped. The same value
 * always gives the same text, so its hash identifies the exact content an approver saw. The depth is
 * counted on the way down, so a hostile document is refused with a RangeError naming the limit
 * long before it could exhaust the stack.
 */
export function canonicalJson(value: unknown): string {
  return canonical(value, 0);
}

function canonical(value: unknown, depth: number): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number');
    if (typeof value === 'bigint') return value.toString();
    return JSON.stringify(value) ?? 'null';
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (depth >= CANONICAL_JSON_MAX_DEPTH) {
    throw new RangeError(`canonicalJson: value is nested deeper than ${CANONICAL_JSON_MAX_DEPTH} levels`);
  }
  if (Array.isArray(value)) return `[${value.map((item: unknown) => canonical(item, depth + 1)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonical(member, depth + 1)}`).join(',')}}`;
}
