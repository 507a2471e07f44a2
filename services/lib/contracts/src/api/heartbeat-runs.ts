/**
 * The heartbeat's runs as the operator API answers them: `GET /api/heartbeat/runs` (keyset paged,
 * newest first) and the last run of `GET /api/status`.
 * @module
 */
import { z } from 'zod';
import { IsoInstant, PageQuery, pageOf } from './api-common';

/** One run of the heartbeat: when, how long, how it ended, its errors and each phase's outcome. */
export const HeartbeatRunItem = z.object({
  id: z.uuid(),
  status: z.string(),
  owner: z.string(),
  startedAt: IsoInstant,
  finishedAt: IsoInstant.nullable(),
  durationMs: z.number().int().nullable(),
  errors: z.array(z.object({ phase: z.string().nullable(), code: z.string(), message: z.string() })),
  /** The run's phases in order (`success`, `failed`, `skipped`) and their times. */
  phases: z.array(
    z.object({
      name: z.string().nullable(),
      status: z.string().nullable(),
      durationMs: z.number().nullable(),
    }),
  ),
});
export type HeartbeatRunItem = z.infer<typeof HeartbeatRunItem>;

/** `GET /api/heartbeat/runs`: newest first, keyset paged. */
export const HeartbeatRunListQuery = PageQuery;
export type HeartbeatRunListQuery = z.infer<typeof HeartbeatRunListQuery>;
export const HeartbeatRunPage = pageOf(HeartbeatRunItem);
export type HeartbeatRunPage = z.infer<typeof HeartbeatRunPage>;
