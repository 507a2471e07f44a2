/**
 * The three calls the API's docs generator and benchmarks need from parts built in parallel and not
 * on this branch yet: the HTTP stack's `createApiApp` (engineer H1, api/api-app.ts), the API-key
 * authenticator (H5, api/auth) and the domain function behind `atc apikey create` (H5, @atc/trading).
 * Each is reached here and only here, by a dynamic import of the documented module and name, so that
 * this branch typechecks without them and, once they are merged, the lead replaces each dynamic import
 * with a static one in this one file. Until then each throws an error that names what is missing.
 * @module
 */
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Pool } from 'pg';
import type { ApiRole, Clock } from '@atc/contracts';
import type { Logger, Registry } from '@atc/platform';
import type { ApiRoute, ApiServices, Authenticator } from '../src/api/api-route';

/** The documented options of `createApiApp({ routes, authenticator, pool, logger, clock, services, registry, http })`. */
export interface CreateApiAppOptions {
  readonly routes: readonly ApiRoute[];
  readonly authenticator: Authenticator;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly services: ApiServices;
  readonly registry: Registry;
  /** HTTP settings (rate limit, CORS, proxies, timeouts); their shape is H1's, so defaults are used here. */
  readonly http: Readonly<Record<string, unknown>>;
}

export class NotMergedYetError extends Error {
  constructor(what: string, options?: { cause: unknown }) {
    super(
      `${what} is not on this branch yet: merge it, then replace the dynamic import in api-seams.ts`,
      options,
    );
    this.name = 'NotMergedYetError';
  }
}

/** `name` exported by `specifier` as a function, or a NotMergedYetError. */
async function pendingFunction<F>(specifier: string, name: string, what: string): Promise<F> {
  let module: Record<string, unknown>;
  try {
    // A computed specifier: TypeScript does not resolve it, so this file compiles before the merge.
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new NotMergedYetError(`${what} (${specifier})`, { cause: error });
  }
  const found = module[name];
  if (typeof found !== 'function') throw new NotMergedYetError(`${what} (${name} in ${specifier})`);
  return found as F;
}

const API_APP_MODULE = '../src/api/api-app';
const AUTH_MODULE = '../src/api/auth';
const TRADING_MODULE = '@atc/trading';

export interface RunningApi {
  readonly url: string;
  close(): Promise<void>;
}

/** The real API application (createApiApp), listening on an ephemeral loopback port. */
export async function startApiApp(options: CreateApiAppOptions): Promise<RunningApi> {
  const createApiApp = await pendingFunction<(o: CreateApiAppOptions) => Express>(
    API_APP_MODULE,
    'createApiApp',
    "the HTTP stack's createApiApp (engineer H1)",
  );
  const server = createApiApp(options).listen(0, '127.0.0.1');
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

/** The authenticator of API keys (and JWT, stream tickets, the heartbeat token) over `pool`. */
export async function createAuthenticator(options: {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly logger: Logger;
}): Promise<Authenticator> {
  const create = await pendingFunction<(o: typeof options) => Authenticator>(
    AUTH_MODULE,
    'createAuthenticator',
    'the API-key authenticator (engineer H5)',
  );
  return create(options);
}

/**
 * A new API key, through the same domain function as `atc apikey create` (audited, hashed); the
 * secret is returned once, as the CLI prints it.
 */
export async function createApiKey(
  pool: Pool,
  key: { readonly name: string; readonly role: ApiRole; readonly expiresAt: Date; readonly actor: string },
): Promise<string> {
  const create = await pendingFunction<(p: Pool, k: typeof key) => Promise<{ key: string }>>(
    TRADING_MODULE,
    'createApiKey',
    'the domain function of `atc apikey create` (engineer H5)',
  );
  return (await create(pool, key)).key;
}
