/**
 * GET /api/stream after authentication: the 503 at the client limit, the resume point
 * (`Last-Event-ID`, else `?since=`, else now), the SSE headers and `retry:` hint, then the client.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { LastEventId, type ProblemDetails } from '@atc/contracts';
import type { Logger } from '@atc/platform';
import type { EventHub } from './event-hub';
import { SseClient } from './sse-client';
import type { StreamMetrics } from './stream-metrics';
import { realTimers, type StreamTimers } from './stream-timers';

export interface EventStreamSettings {
  readonly maxClients: number;
  readonly maxBufferedEvents: number;
  readonly retryMs: number;
}

/** What the stream route needs; the dashboard builds one per process (ApiServices.eventStream). */
export interface EventStreamService {
  readonly hub: EventHub;
  readonly pool: Pool;
  readonly metrics: StreamMetrics;
  readonly settings: EventStreamSettings;
  readonly logger: Logger;
  readonly timers?: StreamTimers;
  /** Events per catch-up read (default 500). */
  readonly pageSize?: number;
}

export interface StreamRequest {
  readonly since?: string | undefined;
  readonly types?: readonly string[] | undefined;
}

export function writeProblem(
  response: ServerResponse,
  problem: ProblemDetails,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(problem.status, { 'content-type': 'application/problem+json', ...headers });
  response.end(JSON.stringify(problem));
}

export async function serveEventStream(
  service: EventStreamService,
  input: StreamRequest,
  http: { readonly request: IncomingMessage; readonly response: ServerResponse },
): Promise<void> {
  const { hub, settings, metrics } = service;
  const { request, response } = http;
  const retryAfter = String(Math.max(1, Math.ceil(settings.retryMs / 1000)));
  const header = request.headers['last-event-id'];
  const lastEventId = header === undefined ? undefined : LastEventId.safeParse(header);
  if (lastEventId && !lastEventId.success) {
    const message = lastEventId.error.issues[0]?.message ?? 'invalid';
    return writeProblem(response, {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: `Last-Event-ID ${message}`,
      errors: [{ path: 'headers.last-event-id', message }],
    });
  }
  if (hub.clientCount >= settings.maxClients) {
    return writeProblem(
      response,
      { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Too many stream clients.' },
      { 'retry-after': retryAfter },
    );
  }
  const since = lastEventId?.data ?? input.since;
  const timers = service.timers ?? realTimers;
  let unsubscribe = (): void => undefined;
  const client = new SseClient({
    response,
    lastId: since === undefined ? undefined : BigInt(since),
    types: input.types ? new Set(input.types) : undefined,
    maxBufferedEvents: settings.maxBufferedEvents,
    metrics,
    timers,
    resetLingerMs: Math.max(settings.retryMs, 5_000),
    onFinished: () => {
      unsubscribe();
      metrics.clientsConnected.dec();
    },
  });
  // Counted before the first await, so concurrent connections cannot pass the limit together.
  unsubscribe = hub.subscribe(client);
  metrics.clientsConnected.inc();
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  response.write(`retry: ${settings.retryMs}\n\n`);
  try {
    await hub.start();
    await client.catchUp(hub, service.pool, service.pageSize ?? 500);
  } catch (error) {
    service.logger.warn({ err: error }, 'live stream catch-up failed; closing the stream');
    response.destroy();
  }
}
