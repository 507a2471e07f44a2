/**
 * Test helpers for the operator API: an Authenticator with three fixed bearer tokens, and the real
 * app started on an ephemeral loopback port.
 * @module
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '@atc/contracts';
import { fixedClock } from '@atc/contracts';
import { type Logger, type Pool, Registry } from '@atc/platform';
import type { ApiHttpConfig } from '../../dashboard.config';
import { createApiApp } from '../api-app';
import type { ApiRoute, ApiServices, Authenticator, Principal } from '../api-route';
import type { WebAppOptions } from '../../web/web-app.static';

/** `Bearer viewer-token` / `operator-token` / `admin-token`; anything else is unknown, nothing is missing. */
export const TEST_TOKENS = {
  viewer: 'viewer-token',
  operator: 'operator-token',
  admin: 'admin-token',
} as const;

const PRINCIPALS: ReadonlyMap<string, Principal> = new Map(
  Object.entries(TEST_TOKENS).map(([role, token]) => [
    token,
    { kind: 'api_key', name: `test-${role}`, role: role as Principal['role'] },
  ]),
);

export const testAuthenticator: Authenticator = {
  authenticate: ({ authorization }) => {
    if (authorization === undefined) return Promise.resolve({ ok: false, reason: 'missing' });
    const match = /^Bearer (\S+)$/.exec(authorization);
    if (!match) return Promise.resolve({ ok: false, reason: 'malformed' });
    const principal = PRINCIPALS.get(match[1]!);
    return Promise.resolve(principal ? { ok: true, principal } : { ok: false, reason: 'unknown' });
  },
};

export const bearer = (role: keyof typeof TEST_TOKENS) => ({ authorization: `Bearer ${TEST_TOKENS[role]}` });

export const TEST_HTTP_CONFIG: ApiHttpConfig = {
  corsOrigins: [],
  rateLimitPerMinute: 100,
  trustProxy: false,
  requestTimeoutMs: 10_000,
  validateResponses: true,
};

export interface RunningApi {
  readonly baseUrl: string;
  readonly registry: Registry;
  close(): Promise<void>;
}

export interface StartApiOptions {
  readonly routes: readonly ApiRoute[];
  readonly pool: Pool;
  readonly logger: Logger;
  readonly http?: Partial<ApiHttpConfig>;
  readonly authenticator?: Authenticator;
  readonly services?: ApiServices;
  readonly clock?: Clock;
  /** The web app's build to serve at `/` (web/web-app.static.ts); absent: none. */
  readonly web?: WebAppOptions;
}

/** The real app on 127.0.0.1 and an ephemeral port, with a registry of its own. */
export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const registry = new Registry();
  const app = createApiApp({
    routes: options.routes,
    authenticator: options.authenticator ?? testAuthenticator,
    pool: options.pool,
    logger: options.logger,
    clock: options.clock ?? fixedClock('2026-01-05T15:00:00Z'),
    services: options.services ?? {},
    registry,
    http: { ...TEST_HTTP_CONFIG, ...options.http },
    health: { service: 'dashboard', checks: { database: () => Promise.resolve({ ok: true }) } },
    ...(options.web ? { web: options.web } : {}),
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    registry,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
