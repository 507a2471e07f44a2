/**
 * The operator API's access routes: stream tickets, API keys, the heartbeat trigger.
 * @module
 */
import { z } from 'zod';
import { ApiRole, IsoInstant } from './api-common';

/**
 * POST /api/stream-tickets → 201: a single-use ticket for `GET /api/stream?ticket=…`, valid 60 s, and
 * the caller's role (the web app's sign-in verifies a key with this call and shows the role).
 */
export const StreamTicket = z.object({ ticket: z.string(), expiresAt: IsoInstant, role: ApiRole });
export type StreamTicket = z.infer<typeof StreamTicket>;

/** An API key as listings show it: never the key or its hash; `prefix` is the key's first characters. */
export const ApiKeySummary = z.object({
  name: z.string(),
  role: ApiRole,
  prefix: z.string(),
  createdAt: IsoInstant,
  lastUsedAt: IsoInstant.nullable(),
  expiresAt: IsoInstant.nullable(),
  revokedAt: IsoInstant.nullable(),
});
export type ApiKeySummary = z.infer<typeof ApiKeySummary>;

/** GET /api/api-keys: every key, newest first (a company holds a handful, so not paged). */
export const ApiKeyList = z.object({ items: z.array(ApiKeySummary) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;

/** POST /api/api-keys. `expiresIn`: a whole number of days or hours, `90d` or `12h`; omitted, no expiry. */
export const CreateApiKeyRequest = z
  .object({
    name: z.string().min(1).max(64),
    role: ApiRole,
    expiresIn: z.string().min(1).max(16).optional(),
  })
  .strict();
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

/** → 201: the key itself, shown this once (only its hash is stored). */
export const CreatedApiKey = z.object({ key: z.string(), apiKey: ApiKeySummary });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

/** DELETE /api/api-keys/:name */
export const ApiKeyNameParams = z.object({ name: z.string().min(1).max(64) }).strict();

/** One phase of a heartbeat run, as `atc.heartbeat_runs.phases` records it. */
export const HeartbeatPhaseResult = z.object({
  name: z.string(),
  status: z.enum(['success', 'failed', 'skipped']),
  durationMs: z.number(),
  budgetMs: z.number(),
  summary: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  error: z.object({ code: z.string(), message: z.string(), sqlstate: z.string().optional() }).optional(),
  abandoned: z.boolean().optional(),
});

/**
 * POST /api/heartbeat: 200 `completed` with the run's summary; 202 `running` with its id when it
 * outlasts the request; 409 `skipped` with the id of the run that holds the lease.
 */
export const HeartbeatTriggerResult = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('completed'),
    runId: z.uuid(),
    status: z.enum(['success', 'partial_failure', 'failure']),
    durationMs: z.number(),
    tookOverRunId: z.uuid().nullable(),
    phases: z.array(HeartbeatPhaseResult),
  }),
  z.object({ outcome: z.literal('running'), runId: z.uuid() }),
  z.object({ outcome: z.literal('skipped'), runningRunId: z.uuid().nullable() }),
]);
export type HeartbeatTriggerResult = z.infer<typeof HeartbeatTriggerResult>;
