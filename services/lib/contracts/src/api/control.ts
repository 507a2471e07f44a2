/**
 * The operator API's control area: policies, the kill switch and the loss latch, the reconciliation
 * queue. Served by services/dashboard (routes/control.routes.ts); the web app reads the same shapes.
 * @module
 */
import { z } from 'zod';
import { Market, OrderStatus, StepStatus } from '../enums';
import { HaltsState, PolicyKey } from '../policies';
import { PositiveDecimal, NonNegativeDecimal } from '../money';
import { IsoInstant, PageQuery, pageOf } from './api-common';

export const PolicyParams = z.object({ key: PolicyKey }).strict();

/** A policy as stored now: its value (validated by its schema when it was set) and version. */
export const PolicyItem = z.object({
  key: PolicyKey,
  value: z.unknown(),
  version: z.number().int(),
  updatedBy: z.string(),
  updatedAt: IsoInstant,
});
export type PolicyItem = z.infer<typeof PolicyItem>;
export const PolicyList = z.object({ items: z.array(PolicyItem) });

/** One change of a policy, from the audit log (`policy.set`), newest first. */
export const PolicyVersion = z.object({
  auditId: z.string(),
  key: PolicyKey,
  version: z.number().int().nullable(),
  value: z.unknown(),
  by: z.string(),
  at: IsoInstant,
});
export const PolicyHistoryPage = pageOf(PolicyVersion);

/** `PUT /api/policies/:key`: the new value, validated by the key's schema as `atc policy set` does. */
export const PolicySetBody = z.object({ value: z.unknown() }).strict();

const Reason = z.string().trim().min(1, 'a reason is required').max(500);

/** `GET /api/kill-switch`: the halts (kill switch, market halts, loss latch) as the workers read them. */
export const KillSwitchStatus = z.object({
  engaged: z.boolean(),
  reason: z.string().nullable(),
  by: z.string().nullable(),
  since: z.string().nullable(),
  halts: HaltsState,
});
export type KillSwitchStatus = z.infer<typeof KillSwitchStatus>;

/**
 * What the kill switch did to one labelled workload in the cluster (`scaleDown` / `restore`): a
 * Deployment scaled to 0 or back, a CronJob suspended or back, or a failure with the API's status.
 * `kind: cluster` is a failure before any object (no configuration, a list refused).
 */
export const WorkloadOutcome = z.object({
  kind: z.enum(['deployment', 'cronjob', 'cluster']),
  name: z.string(),
  result: z.enum(['scaled_down', 'suspended', 'restored', 'unchanged', 'failed']),
  replicas: z.object({ from: z.number().int(), to: z.number().int() }).optional(),
  suspend: z.object({ from: z.boolean(), to: z.boolean() }).optional(),
  /** The HTTP status of a failed request; null when none came back (a timeout, a refused connection). */
  status: z.number().int().nullable().optional(),
  error: z.string().optional(),
});
export type WorkloadOutcome = z.infer<typeof WorkloadOutcome>;

/** The cluster half of an engage with `scaleDown` or a release with `restore`; `ok` is false when any outcome failed. */
export const KillSwitchClusterReport = z.object({
  action: z.enum(['scale_down', 'restore']),
  namespace: z.string().nullable(),
  selector: z.string(),
  ok: z.boolean(),
  outcomes: z.array(WorkloadOutcome),
});
export type KillSwitchClusterReport = z.infer<typeof KillSwitchClusterReport>;

/** The answer of an engage or a release: the halts, and the cluster report when one was asked for. */
export const KillSwitchChange = KillSwitchStatus.extend({ cluster: KillSwitchClusterReport.optional() });
export type KillSwitchChange = z.infer<typeof KillSwitchChange>;

/** `scaleDown` and `restore` act on the whole release, so they cannot go with one market. */
function wholeCompanyOnly(flag: 'scaleDown' | 'restore') {
  return (
    body: { readonly market?: Market; readonly scaleDown?: boolean; readonly restore?: boolean },
    ctx: z.RefinementCtx,
  ) => {
    if (body[flag] === true && body.market !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [flag],
        message: `${flag} acts on every worker of the release; it cannot be combined with market`,
      });
    }
  };
}

/**
 * `POST /api/kill-switch/engage`: everything, or one market with `market`. `scaleDown: true` also
 * scales the labelled worker Deployments to 0 and suspends the heartbeat CronJob, after the halt commits.
 */
export const KillSwitchEngageBody = z
  .object({ reason: Reason, market: Market.optional(), scaleDown: z.boolean().optional() })
  .strict()
  .superRefine(wholeCompanyOnly('scaleDown'));
/**
 * `POST /api/kill-switch/release` (or one market's halt with `market`). `restore: true` also puts back
 * the replica counts and suspend flags a scale-down recorded, after the release commits.
 */
export const KillSwitchReleaseBody = z
  .object({ reason: Reason, market: Market.optional(), restore: z.boolean().optional() })
  .strict()
  .superRefine(wholeCompanyOnly('restore'));
/** `POST /api/loss-latch/reset`. */
export const LossLatchResetBody = z.object({ reason: Reason }).strict();
export const LossLatchReset = z.object({ cleared: z.boolean(), status: KillSwitchStatus });

export const ReconciliationQuery = PageQuery.extend({ market: Market.optional() }).strict();
/** A trade step waiting in `needs_reconciliation`, with its newest order. */
export const ReconciliationItem = z.object({
  stepId: z.uuid(),
  missionId: z.uuid(),
  market: Market,
  attempt: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  waitingSince: IsoInstant,
  ageSeconds: z.number().int(),
  order: z
    .object({
      clientOrderId: z.string(),
      venueOrderId: z.string().nullable(),
      symbol: z.string(),
      side: z.string(),
      quantity: z.string(),
      status: OrderStatus,
      filledQuantity: z.string(),
      createdAt: IsoInstant,
    })
    .nullable(),
});
export type ReconciliationItem = z.infer<typeof ReconciliationItem>;
export const ReconciliationPage = pageOf(ReconciliationItem);

export const ReconciliationParams = z.object({ stepId: z.uuid() }).strict();
/**
 * An operator's hand resolution. `filled`/`succeeded` and `not_filled`/`failed` are synonyms. The
 * fill figures are what the operator declares they saw at the venue; they are recorded as such
 * (in the step's result and the audit log, source `operator_declared`), never as venue fills.
 */
export const ReconciliationResolveBody = z
  .object({
    outcome: z.enum(['filled', 'not_filled', 'succeeded', 'failed']),
    evidence: z.string().trim().min(1, 'evidence is required').max(2000),
    venueOrderId: z.string().trim().min(1).max(200).optional(),
    filledQuantity: PositiveDecimal.optional(),
    averagePrice: PositiveDecimal.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const filled = body.outcome === 'filled' || body.outcome === 'succeeded';
    if (!filled && (body.filledQuantity !== undefined || body.averagePrice !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['filledQuantity'],
        message: 'a step resolved as not filled cannot declare a fill',
      });
    }
  });
export type ReconciliationResolveBody = z.infer<typeof ReconciliationResolveBody>;
export const ReconciliationResolution = z.object({
  stepId: z.uuid(),
  from: StepStatus,
  to: StepStatus,
  by: z.string(),
  auditId: z.string(),
  declaration: z.object({
    source: z.literal('operator_declared'),
    outcome: z.enum(['filled', 'not_filled']),
    evidence: z.string(),
    venueOrderId: z.string().nullable(),
    filledQuantity: NonNegativeDecimal.nullable(),
    averagePrice: PositiveDecimal.nullable(),
    by: z.string(),
    at: IsoInstant,
  }),
});
export type ReconciliationResolution = z.infer<typeof ReconciliationResolution>;
