/**
 * Routes: the live stream (engineer H4). GET /api/stream is Server-Sent Events, so it answers through
 * `stream` (see ApiRoute.stream); `handle` is never called by the HTTP stack for it.
 * @module
 */
import { z } from 'zod';
import { StreamQuery } from '@atc/contracts';
import { defineRoute, type ApiRoute } from '../api-route';
import { serveEventStream, writeProblem } from '../stream/serve-event-stream';

export const streamRoute = defineRoute({
  method: 'GET',
  path: '/api/stream',
  access: 'stream.connect',
  summary: 'Live events as Server-Sent Events; resume with Last-Event-ID or ?since=, filter with ?types=a,b.',
  tag: 'stream',
  query: StreamQuery,
  response: z.string().describe('text/event-stream: id, event and data (StreamEvent JSON) per event'),
  responseContentType: 'text/event-stream',
  handle() {
    return Promise.reject(new Error('GET /api/stream is served by its stream(), not handle()'));
  },
  async stream(input, context, http) {
    const service = context.services.eventStream;
    if (!service) {
      return writeProblem(http.response, {
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The live stream is not configured in this process.',
      });
    }
    await serveEventStream(service, { since: input.query.since, types: input.query.types }, http);
  },
});

export const streamRoutes: readonly ApiRoute[] = [streamRoute];
