import { Counter, Gauge, METRIC_PREFIX, type Registry } from '@atc/platform';

/** The live stream's metrics on the process's registry. */
export interface StreamMetrics {
  readonly clientsConnected: Gauge;
  readonly eventsSent: Counter;
  readonly slowClientsDropped: Counter;
}

export function createStreamMetrics(registry: Registry): StreamMetrics {
  return {
    clientsConnected: new Gauge({
      name: `${METRIC_PREFIX}sse_clients_connected`,
      help: 'Live stream (GET /api/stream) clients connected now.',
      registers: [registry],
    }),
    eventsSent: new Counter({
      name: `${METRIC_PREFIX}sse_events_sent_total`,
      help: 'Events written to live stream clients (one per event per client).',
      registers: [registry],
    }),
    slowClientsDropped: new Counter({
      name: `${METRIC_PREFIX}sse_slow_clients_dropped_total`,
      help: 'Live stream clients disconnected with event: reset for falling SSE_MAX_BUFFERED_EVENTS behind.',
      registers: [registry],
    }),
  };
}
