import { z } from 'zod';
import { integer, port } from '@atc/platform';

/** The dashboard's own environment keys; the shared role keys (database, logging, admin) are added by bootRole. */
export const dashboardEnvironment = {
  DASHBOARD_PORT: port().default(8080),
  DASHBOARD_HOST: z.string().min(1).default('0.0.0.0'),
} as const;

/** The live stream (GET /api/stream): its limits and timings. */
export const sseEnvironment = {
  /** Connected stream clients per process; one more is answered 503 with Retry-After. */
  SSE_MAX_CLIENTS: integer(1, 100_000).default(2_000),
  /** Events a client may fall behind (its socket not draining) before it gets `event: reset` and is dropped. */
  SSE_MAX_BUFFERED_EVENTS: integer(1, 1_000_000).default(1_000),
  /** The interval of the keep-alive comment that keeps proxies from closing an idle stream. */
  SSE_KEEPALIVE_MS: integer(1_000, 300_000).default(15_000),
  /** The `retry:` hint: how long a disconnected browser waits before reconnecting. */
  SSE_RETRY_MS: integer(100, 600_000).default(3_000),
} as const;
