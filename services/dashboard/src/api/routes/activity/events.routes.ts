/**
 * The events outbox, paged by id: newest first, or oldest first from `after` (catching up).
 * @module
 */
import { EventPage, EventQuery } from '@atc/contracts';
import { selectEventsPage } from '@atc/trading';
import { defineRoute, ok, type ApiRoute } from '../../api-route';
import { decodeCursor, IdCursor, nextCursorOf } from '../page-cursor';
import { z } from 'zod';

/** The cursor remembers the direction the first page chose, so `after` need not be sent again. */
const EventCursor = z.object({ direction: z.enum(['asc', 'desc']), id: IdCursor }).strict();

const listEvents = defineRoute({
  method: 'GET',
  path: '/api/events',
  access: 'read',
  tag: 'events',
  summary: 'Events by id: newest first, or oldest first after `after`; by type, market, agent, time.',
  query: EventQuery,
  response: EventPage,
  async handle({ query }, { pool }) {
    const cursor = decodeCursor(query.cursor, EventCursor);
    const direction = cursor?.direction ?? (query.after === undefined ? 'desc' : 'asc');
    const fromId = cursor?.id ?? query.after;
    const page = await selectEventsPage(pool, {
      direction,
      ...(fromId === undefined ? {} : { fromId }),
      ...(query.type ? { types: query.type } : {}),
      ...(query.market ? { market: query.market } : {}),
      ...(query.agent ? { agent: query.agent } : {}),
      ...(query.from ? { from: new Date(query.from) } : {}),
      ...(query.to ? { to: new Date(query.to) } : {}),
      limit: query.limit,
    });
    return ok({
      items: page.rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
      nextCursor: nextCursorOf(page.next === undefined ? undefined : { direction, id: page.next }),
    });
  },
});

export const eventRoutes: readonly ApiRoute[] = [listEvents];
