/**
 * Routes: stream tickets, API keys, the heartbeat trigger (engineer H5; docs/api/auth.md).
 * @module
 */
import { z } from 'zod';
import {
  ApiKeyList,
  ApiKeyNameParams,
  type ApiKeySummary,
  CreateApiKeyRequest,
  CreatedApiKey,
  StreamTicket,
} from '@atc/contracts';
import { AuthenticationError, NotAllowedError } from '@atc/platform';
import {
  createApiKey,
  issueStreamTicket,
  listApiKeys,
  parseKeyLifetime,
  revokeApiKey,
  type ApiKeySummary as ApiKeyRecord,
} from '@atc/trading';
import { created, defineRoute, ok, type ApiContext, type ApiRoute, type Principal } from '../api-route';
import { heartbeatRoute } from './heartbeat.route';

/** The caller; the HTTP stack guarantees one on every non-public route. */
export function principalOf(context: ApiContext): Principal {
  if (!context.principal) throw new AuthenticationError('this route needs an authenticated caller');
  return context.principal;
}

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

const apiKeyOf = (key: ApiKeyRecord): ApiKeySummary => ({
  name: key.name,
  role: key.role,
  prefix: key.prefix,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: iso(key.lastUsedAt),
  expiresAt: iso(key.expiresAt),
  revokedAt: iso(key.revokedAt),
});

const streamTicketsRoute = defineRoute({
  method: 'POST',
  path: '/api/stream-tickets',
  access: 'stream.connect',
  summary: "A single-use ticket (valid 60 s, carrying the caller's role) for GET /api/stream?ticket=",
  tag: 'access',
  response: StreamTicket,
  successStatus: 201,
  async handle(_input, context) {
    const principal = principalOf(context);
    // A ticket must not buy another ticket: that would make a 60-second credential last for ever.
    if (principal.kind === 'stream_ticket') {
      throw new NotAllowedError('a stream ticket cannot issue another ticket; use an API key or a JWT');
    }
    const issued = await issueStreamTicket(context.pool, principal, context.clock);
    return created({
      ticket: issued.ticket,
      expiresAt: issued.expiresAt.toISOString(),
      role: principal.role,
    });
  },
});

const listApiKeysRoute = defineRoute({
  method: 'GET',
  path: '/api/api-keys',
  access: 'api_keys.manage',
  summary: 'Every API key (name, role, prefix, created, last used, expires, revoked); never a key',
  tag: 'access',
  response: ApiKeyList,
  async handle(_input, context) {
    return ok({ items: (await listApiKeys(context.pool)).map(apiKeyOf) });
  },
});

const createApiKeyRoute = defineRoute({
  method: 'POST',
  path: '/api/api-keys',
  access: 'api_keys.manage',
  summary: 'Create an API key; the key is in this response only (only its hash is stored)',
  tag: 'access',
  body: CreateApiKeyRequest,
  response: CreatedApiKey,
  successStatus: 201,
  writes: true,
  async handle({ body }, context) {
    const lifetimeMs =
      body.expiresIn === undefined ? undefined : parseKeyLifetime(body.expiresIn, 'expiresIn');
    const { key, summary } = await createApiKey(
      context.pool,
      {
        name: body.name,
        role: body.role,
        actor: principalOf(context).name,
        ...(lifetimeMs ? { lifetimeMs } : {}),
      },
      context.clock,
    );
    return created({ key, apiKey: apiKeyOf(summary) });
  },
});

const revokeApiKeyRoute = defineRoute({
  method: 'DELETE',
  path: '/api/api-keys/:name',
  access: 'api_keys.manage',
  summary: 'Revoke an API key by name (404 when there is no live key of that name)',
  tag: 'access',
  params: ApiKeyNameParams,
  response: z.object({ apiKey: CreatedApiKey.shape.apiKey }),
  writes: true,
  async handle({ params }, context) {
    const revoked = await revokeApiKey(
      context.pool,
      { name: params.name, actor: principalOf(context).name },
      context.clock,
    );
    return ok({ apiKey: apiKeyOf(revoked) });
  },
});

export const accessRoutes: readonly ApiRoute[] = [
  streamTicketsRoute,
  listApiKeysRoute,
  createApiKeyRoute,
  revokeApiKeyRoute,
  heartbeatRoute,
] as readonly ApiRoute[];
