/**
 * How the operator API is declared: every route is one `defineRoute` value — method, path, the
 * permission it needs, zod schemas for params, query, body and response, and a handler. The HTTP
 * stack (api-app.ts) validates, authenticates and authorizes from these values; the OpenAPI
 * document and the authorization-matrix test enumerate them. A route is reachable only through its
 * definition, so a route without a permission cannot exist.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { ApiRole, Clock, ProposalPage, StatusResponse } from '@atc/contracts';
import type { Logger } from '@atc/platform';
import type { ClusterAccess } from '@atc/trading';
import type { OidcSignInService } from './auth/oidc-provider.client';
import type { InvalidatedReads } from './cache/invalidated-reads';
import type { EventStreamService } from './stream/serve-event-stream';

/**
 * THE authorization matrix: each action and the least role allowed to do it (roles are ordered
 * viewer < operator < admin). docs/api/README.md prints this table.
 */
export const PERMISSIONS = {
  /** Every read: status, proposals, missions, orders, positions, agents, events, policies, audit. */
  read: 'viewer',
  /** A stream ticket for the browser's EventSource. */
  'stream.connect': 'viewer',
  'proposals.submit': 'operator',
  'proposals.decide': 'operator',
  'reconciliation.resolve': 'operator',
  'kill_switch.engage': 'operator',
  'kill_switch.release': 'admin',
  'loss_latch.reset': 'admin',
  'policies.set': 'admin',
  'api_keys.manage': 'admin',
} as const satisfies Record<string, ApiRole>;
export type Permission = keyof typeof PERMISSIONS;

/**
 * Who may call a route: a permission of the matrix, `public` (health, the OpenAPI document) or
 * `heartbeat_token` (POST /api/heartbeat: the deployment's bearer HEARTBEAT_TOKEN, not an API key).
 */
export type RouteAccess = Permission | 'public' | 'heartbeat_token';

const ROLE_RANK: Record<ApiRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may do what `permission` needs. */
export function roleAllows(role: ApiRole, permission: Permission): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[PERMISSIONS[permission]];
}

/** The authenticated caller. `name` is the audit log's actor (an API key's name, a JWT subject). */
export interface Principal {
  readonly kind: 'api_key' | 'jwt' | 'stream_ticket' | 'heartbeat_token';
  readonly name: string;
  readonly role: ApiRole;
}

/**
 * What a route handler may use besides the database: capabilities of other parts of the company that
 * the `atc` binary injects when it starts the dashboard (roles never import each other). Absent when
 * not configured; a route that needs an absent one answers 503.
 */
export interface ApiServices {
  /** Venue quotes for a proposal's entries, as `atc proposal submit|approve` take them. */
  readonly quoteEntries?: (trades: readonly unknown[]) => Promise<readonly unknown[]>;
  /**
   * One heartbeat run through the single-flight lease (POST /api/heartbeat), resolving with
   * @atc/heartbeat's HeartbeatOutcome. `runId` names the run, so a 202 can give its id before it ends.
   */
  readonly runHeartbeat?: (request?: { readonly runId?: string }) => Promise<unknown>;
  /**
   * GET /api/status's figures, shared by the requests of a short window (api/cache/fresh-read.ts);
   * without it the route reads them for each request.
   */
  readonly companyStatus?: () => Promise<StatusResponse>;
  /**
   * GET /api/proposals's pages, shared per query and dropped at each proposal event or write
   * (api/cache/proposal-pages.ts); without it the route reads each request's page.
   */
  readonly proposalPages?: InvalidatedReads<ProposalPage>;
  /** The live stream's per-process hub, limits and metrics (GET /api/stream). */
  readonly eventStream?: EventStreamService;
  /**
   * The cluster the kill switch scales down (`scaleDown` / `restore`): a label selector and a
   * connector to the Kubernetes API (in-cluster, or kubeconfig). Absent, a scale-down still halts
   * in the database and reports the cluster half as failed.
   */
  readonly killSwitchCluster?: ClusterAccess;
  /**
   * The web app's sign-in methods (GET /api/auth/methods): whether a pasted JWT is accepted, and the
   * OpenID Connect provider when AUTH_OIDC_CLIENT_ID is set. Absent: API keys only.
   */
  readonly signIn?: { readonly jwt: boolean; readonly oidc: OidcSignInService | undefined };
}

export interface ApiContext {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly requestId: string;
  /** Undefined only on public routes. */
  readonly principal: Principal | undefined;
  readonly services: ApiServices;
  /** Aborted when the request times out or the client goes away. */
  readonly signal: AbortSignal;
}

/** A handler's answer: the status (200 unless said), the body (validated against `response`), headers. */
export interface ApiReply<Body> {
  readonly status?: number;
  readonly body: Body;
  readonly headers?: Readonly<Record<string, string>>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRoute<
  Params extends z.ZodType = z.ZodType,
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
  Response extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  /** Express syntax under /api, e.g. `/api/proposals/:id`; the OpenAPI document converts it. */
  readonly path: string;
  readonly access: RouteAccess;
  /** One line for the OpenAPI document and docs/api. */
  readonly summary: string;
  /** The OpenAPI tag (the area: status, proposals, missions, …). */
  readonly tag: string;
  /** Strict zod objects (unknown keys refused); omitted means none accepted. */
  readonly params?: Params;
  readonly query?: Query;
  readonly body?: Body;
  readonly response: Response;
  /** The success status documented for `response` (default 200). */
  readonly successStatus?: number;
  /** The success response's media type in the OpenAPI document (default application/json; SSE: text/event-stream). */
  readonly responseContentType?: string;
  /** True for a route that writes: it is audited with the principal's name as the actor. */
  readonly writes?: boolean;
  handle(
    input: { params: z.infer<Params>; query: z.infer<Query>; body: z.infer<Body> },
    context: ApiContext,
  ): Promise<ApiReply<z.infer<Response>>>;
  /**
   * A route that answers with a stream rather than one JSON reply (GET /api/stream): after
   * validation, authentication and authorization the HTTP stack calls `stream` instead of `handle`
   * and leaves the response to it (it writes the status, the headers and the body, and ends it, also
   * for its own 4xx/503 problems). Its promise settles when the stream has started or been refused;
   * the response may stay open long after. A request timeout must not apply to it.
   */
  stream?(
    input: { params: z.infer<Params>; query: z.infer<Query>; body: z.infer<Body> },
    context: ApiContext,
    http: StreamHttp,
  ): Promise<void>;
}

/** The raw request and response a streaming route takes over. */
export interface StreamHttp {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
}

/** Declares a route; the identity function that lets TypeScript infer the handler's input types. */
export function defineRoute<
  Params extends z.ZodType,
  Query extends z.ZodType,
  Body extends z.ZodType,
  Response extends z.ZodType,
>(route: ApiRoute<Params, Query, Body, Response>): ApiRoute<Params, Query, Body, Response> {
  return route;
}

/** 200 with `body`. */
export const ok = <Body>(body: Body, headers?: Readonly<Record<string, string>>): ApiReply<Body> => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});

/** 201 with `body` (a created resource). */
export const created = <Body>(body: Body): ApiReply<Body> => ({ status: 201, body });

/** Why a request is not authenticated (the metric `atc_api_auth_failures_total{reason}`). */
export type AuthFailureReason =
  'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'invalid_token' | 'ticket_used';

export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: AuthFailureReason };

/**
 * Turns a request's credentials into a principal: `Authorization: Bearer <API key or JWT>`, or for
 * the live stream a single-use `ticket` query parameter. The HTTP stack calls it for every route whose
 * access is not `public`, answers 401 on a failure and 403 when the principal's role lacks the
 * route's permission. Implemented in api/auth (API keys, JWT, stream tickets, the heartbeat token).
 */
export interface Authenticator {
  authenticate(
    request: { readonly authorization: string | undefined; readonly ticket: string | undefined },
    access: Exclude<RouteAccess, 'public'>,
  ): Promise<Authentication>;
}
