/**
 * The live stream, GET /api/stream (Server-Sent Events): its query and the JSON of each event's
 * `data:` line. Each message is `id: <event id>`, `event: <event type>`, `data: <StreamEvent JSON>`;
 * a client that falls too far behind gets a last `event: reset` (data `{"reason":"slow_client"}`)
 * and is disconnected, and resumes with `Last-Event-ID`.
 * @module
 */
import { z } from 'zod';
import { eventPayloadSchemas, type EventType } from '../events';
import { IsoInstant } from './api-common';

const streamEventTypes = Object.keys(eventPayloadSchemas) as [EventType, ...EventType[]];

/** `?since=<event id>` (like Last-Event-ID); `?types=a,b` (event types); `?ticket=` (the browser's stream ticket). */
export const StreamQuery = z
  .object({
    since: z
      .string()
      .regex(/^\d{1,18}$/, 'must be an event id (digits)')
      .optional(),
    types: z
      .string()
      .max(4096)
      .transform((list) => list.split(',').filter((type) => type.length > 0))
      .pipe(z.array(z.enum(streamEventTypes)).min(1, 'must name at least one event type'))
      .optional(),
    ticket: z.string().min(1).max(512).optional(),
  })
  .strict();
export type StreamQuery = z.infer<typeof StreamQuery>;

/** The `Last-Event-ID` header: an event id. */
export const LastEventId = z.string().regex(/^\d{1,18}$/, 'must be an event id (digits)');

/** One event as the stream's `data:` line carries it. */
export const StreamEvent = z.object({
  id: z.string(),
  type: z.string(),
  aggregateType: z.string().nullable(),
  aggregateId: z.string().nullable(),
  market: z.string().nullable(),
  payload: z.unknown(),
  createdAt: IsoInstant,
});
export type StreamEvent = z.infer<typeof StreamEvent>;
