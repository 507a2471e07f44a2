/**
 * The live stream on a bare express app on an ephemeral port, for the stream's tests, the process
 * test's entry and the benchmark (no authentication: the HTTP stack adds it).
 * @module
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Pool } from 'pg';
import { createMetricsRegistry, type Logger, type Registry } from '@atc/platform';
import { streamRoute } from '../../routes/stream.routes';
import { createEventStream, type EventStreamConfig, mountStreamRoute } from '../create-event-stream';
import type { EventStreamService } from '../serve-event-stream';
import type { StreamTimers } from '../stream-timers';

export interface StreamTestServer {
  readonly url: string;
  readonly port: number;
  readonly service: EventStreamService;
  readonly registry: Registry;
  close(): Promise<void>;
}

export const TEST_STREAM_CONFIG: EventStreamConfig = {
  SSE_MAX_CLIENTS: 100,
  SSE_MAX_BUFFERED_EVENTS: 1_000,
  SSE_KEEPALIVE_MS: 15_000,
  SSE_RETRY_MS: 1_000,
};

export async function startStreamTestServer(options: {
  readonly pool: Pool;
  readonly databaseUrl: string;
  readonly logger: Logger;
  readonly config?: Partial<EventStreamConfig>;
  readonly timers?: StreamTimers;
  readonly pageSize?: number;
  readonly port?: number;
}): Promise<StreamTestServer> {
  const registry = createMetricsRegistry({ service: 'dashboard', version: 'test' });
  const service = createEventStream({
    pool: options.pool,
    databaseUrl: options.databaseUrl,
    registry,
    logger: options.logger,
    config: { ...TEST_STREAM_CONFIG, ...options.config },
    gapPollMs: 20,
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  });
  await service.hub.start();
  const app = express();
  mountStreamRoute(app, streamRoute, {
    pool: options.pool,
    logger: options.logger,
    services: { eventStream: service },
  });
  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/stream`,
    port,
    service,
    registry,
    close: async () => {
      await service.hub.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
