/**
 * What the API's docs generator (api-examples.ts) and benchmarks (bench/api, bench/decision) take from
 * the dashboard and the trading library: the real HTTP stack on an ephemeral port, the real
 * authenticator (API keys; no JWT, no heartbeat token), and a key made by the same domain function as
 * `atc apikey create` (audited, hashed; the secret returned once, as the CLI prints it).
 * @module
 */
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { systemClock, type ApiRole, type Clock } from '@atc/contracts';
import type { Logger, Registry } from '@atc/platform';
import { createApiKey as createDomainApiKey } from '@atc/trading';
import { createApiApp } from '../src/api/api-app';
import type { ApiRoute, ApiServices, Authenticator } from '../src/api/api-route';
import { createAuthenticator as createRealAuthenticator } from '../src/api/auth';
import { TEST_HTTP_CONFIG } from '../src/api/testing/test-api';

export interface CreateApiAppOptions {
  readonly routes: readonly ApiRoute[];
  readonly authenticator: Authenticator;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly services: ApiServices;
  readonly registry: Registry;
  /** The HTTP settings; the defaults of the tests unless given (the examples raise the rate limit). */
  readonly http?: Partial<typeof TEST_HTTP_CONFIG>;
}

export interface RunningApi {
  readonly url: string;
  close(): Promise<void>;
}

/** The real API application (createApiApp), listening on an ephemeral loopback port. */
export async function startApiApp(options: CreateApiAppOptions): Promise<RunningApi> {
  const app = createApiApp({
    ...options,
    http: { ...TEST_HTTP_CONFIG, rateLimitPerMinute: 100_000, ...options.http },
    health: { service: 'dashboard', checks: {} },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The authenticator of API keys over `pool` (no JWT; heartbeat tokens only when given). */
export function createAuthenticator(options: {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly heartbeatTokens?: readonly string[];
}): Promise<Authenticator> {
  const { heartbeatTokens = [], ...rest } = options;
  return Promise.resolve(createRealAuthenticator({ ...rest, settings: { jwt: undefined, heartbeatTokens } }));
}

/** A new API key through the domain function of `atc apikey create`; its secret, once. */
export async function createApiKey(
  pool: Pool,
  key: { readonly name: string; readonly role: ApiRole; readonly expiresAt: Date; readonly actor: string },
  clock: Clock = systemClock,
): Promise<string> {
  const lifetimeMs = Math.max(1, key.expiresAt.getTime() - clock.now().getTime());
  const created = await createDomainApiKey(
    pool,
    { name: key.name, role: key.role, lifetimeMs, actor: key.actor },
    clock,
  );
  return created.key;
}
