/**
 * ProjectX Gateway (TopstepX): POST JSON everywhere, the `{success, errorCode, errorMessage}`
 * envelope with business failures inside HTTP 200, a `loginKey` token (24 h) refreshed through
 * `Auth/validate` before it ages out and re-obtained once on a 401. `customTag` carries our client
 * order id and must be unique per account, so a resend is refused rather than duplicated — and
 * `Order/search` finds the tag after an ambiguous failure.
 * @module
 */
import { HttpStatusError, type ResilientHttp } from '@atc/platform';
import { z } from 'zod';
import { VenueRejectedError } from './venue';
import { parseWire } from './wire';

export const PROJECTX_ORDER_TYPE = { limit: 1, market: 2, stop: 4 } as const;
export const PROJECTX_SIDE = { buy: 0, sell: 1 } as const;
export const PROJECTX_ORDER_STATUS = {
  none: 0,
  open: 1,
  filled: 2,
  cancelled: 3,
  expired: 4,
  rejected: 5,
  pending: 6,
} as const;

export interface ProjectXOrder {
  readonly id: number;
  readonly accountId: number;
  readonly contractId: string;
  readonly creationTimestamp: string;
  readonly status: number;
  readonly type: number;
  readonly side: number;
  readonly size: number;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly fillVolume: number;
  readonly filledPrice: number | null;
  readonly customTag: string | null;
}

export interface ProjectXPosition {
  readonly id: number;
  readonly contractId: string;
  /** 1 long, 2 short. */
  readonly type: number;
  readonly size: number;
  readonly averagePrice: number;
}

export interface ProjectXContract {
  readonly id: string;
  readonly name: string;
  readonly tickSize: number;
  readonly tickValue: number;
  readonly activeContract: boolean;
}

export interface ProjectXPlaceOrder {
  readonly contractId: string;
  readonly type: number;
  readonly side: number;
  readonly size: number;
  readonly limitPrice?: number | null;
  readonly stopPrice?: number | null;
  readonly customTag: string;
}

/** A business failure from the envelope; `errorCode` is the gateway's. */
export class ProjectXRejectedError extends VenueRejectedError {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super('projectx', `${message} (errorCode ${errorCode})`);
  }
}

export interface ProjectXClientOptions {
  readonly http: ResilientHttp;
  readonly userName: string;
  readonly apiKey: string;
  readonly accountId: number;
  /** Refresh the token after this age; default 23 h of the 24 h lifetime. */
  readonly tokenRefreshMs?: number;
  readonly now?: () => number;
}

/** Every answer's envelope; a business failure comes inside HTTP 200 with `success: false`. */
const envelopeSchema = z.object({
  success: z.boolean(),
  errorCode: z.number(),
  errorMessage: z.string().nullable().optional(),
});
const orderSchema = z.object({
  id: z.number(),
  accountId: z.number(),
  contractId: z.string(),
  creationTimestamp: z.string(),
  status: z.number(),
  type: z.number(),
  side: z.number(),
  size: z.number(),
  limitPrice: z.number().nullable(),
  stopPrice: z.number().nullable(),
  fillVolume: z.number(),
  filledPrice: z.number().nullable(),
  customTag: z.string().nullable(),
});
const contractSchema = z.object({
  id: z.string(),
  name: z.string(),
  tickSize: z.number(),
  tickValue: z.number(),
  activeContract: z.boolean(),
});
const positionSchema = z.object({
  id: z.number(),
  contractId: z.string(),
  type: z.number(),
  size: z.number(),
  averagePrice: z.number(),
});
const SCHEMAS = {
  login: z.object({ token: z.string() }),
  validate: z.object({ newToken: z.string().optional() }),
  contracts: z.object({ contracts: z.array(contractSchema) }),
  contract: z.object({ contract: contractSchema }),
  place_order: z.object({ orderId: z.number() }),
  cancel_order: z.unknown(),
  order_search: z.object({ orders: z.array(orderSchema) }),
  positions: z.object({ positions: z.array(positionSchema) }),
};

interface ProjectXCall<S extends z.ZodType> {
  readonly path: string;
  readonly endpoint: keyof typeof SCHEMAS;
  readonly schema: S;
  readonly body: unknown;
  /** An order placement: an answer we cannot read leaves its outcome unknown. */
  readonly submission?: boolean;
}

export class ProjectXClient {
  private token: string | undefined;
  private tokenAt = 0;

  constructor(private readonly options: ProjectXClientOptions) {}

  get accountId(): number {
    return this.options.accountId;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The one path every call takes: the envelope (a refusal inside HTTP 200), then the endpoint's schema. */
  private async raw<S extends z.ZodType>(
    call: ProjectXCall<S>,
    bearer: string | undefined,
  ): Promise<z.output<S>> {
    const res = await this.options.http.requestJson<unknown>({
      method: 'POST',
      path: call.path,
      endpoint: call.endpoint,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify(call.body),
      submission: call.submission ?? false,
    });
    const source = { venue: 'projectx', endpoint: call.endpoint, submission: call.submission ?? false };
    const envelope = parseWire(envelopeSchema, res.body, source);
    if (!envelope.success)
      throw new ProjectXRejectedError(envelope.errorCode, envelope.errorMessage ?? 'request failed');
    return parseWire(call.schema, res.body, source);
  }

  private async ensureToken(): Promise<string> {
    const age = this.now() - this.tokenAt;
    if (this.token && age < (this.options.tokenRefreshMs ?? 23 * 3600 * 1000)) return this.token;
    if (this.token) {
      try {
        const previous = this.token;
        this.token = undefined;
        const res = await this.raw(
          { path: '/api/Auth/validate', endpoint: 'validate', schema: SCHEMAS.validate, body: {} },
          previous,
        );
        if (res.newToken) return this.remember(res.newToken);
      } catch (error) {
        // A refused validation (the envelope's `success: false`) falls through to a fresh login, as before.
        if (
          !(error instanceof ProjectXRejectedError) &&
          !(error instanceof HttpStatusError && error.status === 401)
        )
          throw error;
      }
    }
    const login = await this.raw(
      {
        path: '/api/Auth/loginKey',
        endpoint: 'login',
        schema: SCHEMAS.login,
        body: { userName: this.options.userName, apiKey: this.options.apiKey },
      },
      undefined,
    );
    return this.remember(login.token);
  }

  private remember(token: string): string {
    this.token = token;
    this.tokenAt = this.now();
    return token;
  }

  /** Calls an authenticated endpoint; a 401 (token revoked or expired early) logs in again once. */
  private async call<S extends z.ZodType>(call: ProjectXCall<S>): Promise<z.output<S>> {
    try {
      return await this.raw(call, await this.ensureToken());
    } catch (error) {
      if (!(error instanceof HttpStatusError && error.status === 401)) throw error;
      this.token = undefined;
      return this.raw(call, await this.ensureToken());
    }
  }

  async searchContracts(searchText: string): Promise<ProjectXContract[]> {
    return (
      await this.call({
        path: '/api/Contract/search',
        endpoint: 'contracts',
        schema: SCHEMAS.contracts,
        body: { searchText, live: false },
      })
    ).contracts;
  }

  /** One contract by its id (`CON.F.US.MES.Z26`), or undefined when the gateway has none. */
  async contractById(contractId: string): Promise<ProjectXContract | undefined> {
    try {
      return (
        await this.call({
          path: '/api/Contract/searchById',
          endpoint: 'contract',
          schema: SCHEMAS.contract,
          body: { contractId },
        })
      ).contract;
    } catch (error) {
      if (error instanceof ProjectXRejectedError) return undefined;
      throw error;
    }
  }

  /** The active contract for a root such as MNQ (never hard-code the month). */
  async activeContract(root: string): Promise<ProjectXContract> {
    const found = (await this.searchContracts(root)).find((c) => c.activeContract && c.name.startsWith(root));
    if (!found) throw new VenueRejectedError('projectx', `no active contract for ${root}`);
    return found;
  }

  async placeOrder(order: ProjectXPlaceOrder): Promise<number> {
    const body = {
      accountId: this.accountId,
      contractId: order.contractId,
      type: order.type,
      side: order.side,
      size: order.size,
      limitPrice: order.limitPrice ?? null,
      stopPrice: order.stopPrice ?? null,
      trailPrice: null,
      customTag: order.customTag,
      linkedOrderId: null,
    };
    const placed = await this.call({
      path: '/api/Order/place',
      endpoint: 'place_order',
      schema: SCHEMAS.place_order,
      body,
      submission: true,
    });
    return placed.orderId;
  }

  async cancelOrder(orderId: number): Promise<void> {
    await this.call({
      path: '/api/Order/cancel',
      endpoint: 'cancel_order',
      schema: SCHEMAS.cancel_order,
      body: { accountId: this.accountId, orderId },
    });
  }

  async searchOrders(startTimestamp: string, endTimestamp: string | null = null): Promise<ProjectXOrder[]> {
    return (
      await this.call({
        path: '/api/Order/search',
        endpoint: 'order_search',
        schema: SCHEMAS.order_search,
        body: { accountId: this.accountId, startTimestamp, endTimestamp },
      })
    ).orders;
  }

  async searchOpenOrders(): Promise<ProjectXOrder[]> {
    return (
      await this.call({
        path: '/api/Order/searchOpen',
        endpoint: 'order_search',
        schema: SCHEMAS.order_search,
        body: { accountId: this.accountId },
      })
    ).orders;
  }

  async findOrderByTag(customTag: string, since: string): Promise<ProjectXOrder | undefined> {
    return (await this.searchOrders(since)).find((order) => order.customTag === customTag);
  }

  async searchOpenPositions(): Promise<ProjectXPosition[]> {
    return (
      await this.call({
        path: '/api/Position/searchOpen',
        endpoint: 'positions',
        schema: SCHEMAS.positions,
        body: { accountId: this.accountId },
      })
    ).positions;
  }
}
