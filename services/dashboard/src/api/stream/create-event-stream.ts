/**
 * Builds the process's live stream (the hub with its LISTEN connection, the metrics, the limits) from
 * the dashboard's config, and mounts the stream route on a bare express app for tests and the
 * benchmark, until the HTTP stack serves it with authentication.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { Client, type Pool } from 'pg';
import { systemClock } from '@atc/contracts';
import type { Logger, Registry } from '@atc/platform';
import type { ApiContext, ApiRoute } from '../api-route';
import { EventHub } from './event-hub';
import { type EventStreamService, writeProblem } from './serve-event-stream';
import { createStreamMetrics } from './stream-metrics';
import type { StreamTimers } from './stream-timers';

export interface EventStreamConfig {
  readonly SSE_MAX_CLIENTS: number;
  readonly SSE_MAX_BUFFERED_EVENTS: number;
  readonly SSE_KEEPALIVE_MS: number;
  readonly SSE_RETRY_MS: number;
  /** Optional for callers that build the config by hand (tests): 0, a read per notification. */
  readonly SSE_BATCH_WINDOW_MS?: number;
}

export interface CreateEventStreamOptions {
  readonly pool: Pool;
  readonly databaseUrl: string;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly config: EventStreamConfig;
  readonly timers?: StreamTimers;
  readonly pageSize?: number;
  readonly gapPollMs?: number;
}

export function createEventStream(options: CreateEventStreamOptions): EventStreamService {
  const logger = options.logger.child({ component: 'event-stream' });
  const hub = new EventHub({
    pool: options.pool,
    connectListener: async () => {
      const client = new Client({
        connectionString: options.databaseUrl,
        application_name: 'atc-event-stream',
      });
      await client.connect();
      return client;
    },
    logger,
    keepAliveMs: options.config.SSE_KEEPALIVE_MS,
    batchWindowMs: options.config.SSE_BATCH_WINDOW_MS ?? 0,
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.pageSize ? { batchSize: options.pageSize } : {}),
    ...(options.gapPollMs ? { gapPollMs: options.gapPollMs } : {}),
  });
  return {
    hub,
    pool: options.pool,
    metrics: createStreamMetrics(options.registry),
    logger,
    settings: {
      maxClients: options.config.SSE_MAX_CLIENTS,
      maxBufferedEvents: options.config.SSE_MAX_BUFFERED_EVENTS,
      retryMs: options.config.SSE_RETRY_MS,
    },
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  };
}

/**
 * Serves a streaming route on a bare express app with no authentication (tests, the benchmark):
 * its query validated by the route's schema (400 problem naming the field), then `route.stream`.
 */
export function mountStreamRoute(
  app: Express,
  route: ApiRoute,
  context: Omit<ApiContext, 'requestId' | 'signal' | 'principal' | 'clock'>,
): void {
  app.get(route.path, (request, response, next) => {
    const query = route.query ? route.query.safeParse(request.query) : { success: true as const, data: {} };
    if (!query.success) {
      const errors = query.error.issues.map((issue) => ({
        path: ['query', ...issue.path.map(String)].join('.'),
        message: issue.message,
      }));
      return writeProblem(response, {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: errors.map((error) => `${error.path}: ${error.message}`).join('; '),
        errors,
      });
    }
    const abort = new AbortController();
    response.once('close', () => abort.abort());
    const streamContext: ApiContext = {
      ...context,
      clock: systemClock,
      requestId: randomUUID(),
      principal: { kind: 'api_key', name: 'test', role: 'viewer' },
      signal: abort.signal,
    };
    route.stream!({ params: {}, query: query.data, body: undefined }, streamContext, {
      request,
      response,
    }).catch(next);
  });
}
