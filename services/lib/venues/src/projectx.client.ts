import { HttpStatusError, type ResilientHttp } from '@atc/platform';
import { VenueRejectedError } from './venue';

/**
 * ProjectX Gateway (TopstepX): POST JSON everywhere, the `{success, errorCode, errorMessage}`
 * envelope with business failures inside HTTP 200, a `loginKey` token (24 h) refreshed through
 * `Auth/validate` before it ages out and re-obtained once on a 401. `customTag` carries our client
 * order id and must be unique per account, so a resend is refused rather than duplicated — and
 * `Order/search` finds the tag after an ambiguous failure.
 */
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

type Envelope = { success: boolean; errorCode: number; errorMessage: string | null };

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

  private async raw<T>(
    path: string,
    endpoint: string,
    body: unknown,
    auth: boolean,
    submission = false,
  ): Promise<T & Envelope> {
    const res = await this.options.http.requestJson<T & Envelope>({
      method: 'POST',
      path,
      endpoint,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(auth ? { authorization: `Bearer ${await this.ensureToken()}` } : {}),
      },
      body: JSON.stringify(body),
      submission,
    });
    if (!res.body.success)
      throw new ProjectXRejectedError(res.body.errorCode, res.body.errorMessage ?? 'request failed');
    return res.body;
  }

  private async ensureToken(): Promise<string> {
    const age = this.now() - this.tokenAt;
    if (this.token && age < (this.options.tokenRefreshMs ?? 23 * 3600 * 1000)) return this.token;
    if (this.token) {
      try {
        const previous = this.token;
        this.token = undefined;
        const res = await this.options.http.requestJson<Envelope & { newToken?: string }>({
          method: 'POST',
          path: '/api/Auth/validate',
          endpoint: 'validate',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${previous}` },
          body: '{}',
        });
        if (res.body.success && res.body.newToken) return this.remember(res.body.newToken);
      } catch (error) {
        if (!(error instanceof HttpStatusError && error.status === 401)) throw error;
      }
    }
    const login = await this.raw<{ token: string }>(
      '/api/Auth/loginKey',
      'login',
      { userName: this.options.userName, apiKey: this.options.apiKey },
      false,
    );
    return this.remember(login.token);
  }

  private remember(token: string): string {
    this.token = token;
    this.tokenAt = this.now();
    return token;
  }

  /** Calls an authenticated endpoint; a 401 (token revoked or expired early) logs in again once. */
  private async call<T>(
    path: string,
    endpoint: string,
    body: unknown,
    submission = false,
  ): Promise<T & Envelope> {
    try {
      return await this.raw<T>(path, endpoint, body, true, submission);
    } catch (error) {
      if (!(error instanceof HttpStatusError && error.status === 401)) throw error;
      this.token = undefined;
      return this.raw<T>(path, endpoint, body, true, submission);
    }
  }

  async searchContracts(searchText: string): Promise<ProjectXContract[]> {
    return (
      await this.call<{ contracts: ProjectXContract[] }>('/api/Contract/search', 'contracts', {
        searchText,
        live: false,
      })
    ).contracts;
  }

  /** One contract by its id (`CON.F.US.MES.Z26`), or undefined when the gateway has none. */
  async contractById(contractId: string): Promise<ProjectXContract | undefined> {
    try {
      return (
        await this.call<{ contract: ProjectXContract }>('/api/Contract/searchById', 'contract', {
          contractId,
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
    return (await this.call<{ orderId: number }>('/api/Order/place', 'place_order', body, true)).orderId;
  }

  async cancelOrder(orderId: number): Promise<void> {
    await this.call('/api/Order/cancel', 'cancel_order', { accountId: this.accountId, orderId });
  }

  async searchOrders(startTimestamp: string, endTimestamp: string | null = null): Promise<ProjectXOrder[]> {
    return (
      await this.call<{ orders: ProjectXOrder[] }>('/api/Order/search', 'order_search', {
        accountId: this.accountId,
        startTimestamp,
        endTimestamp,
      })
    ).orders;
  }

  async searchOpenOrders(): Promise<ProjectXOrder[]> {
    return (
      await this.call<{ orders: ProjectXOrder[] }>('/api/Order/searchOpen', 'order_search', {
        accountId: this.accountId,
      })
    ).orders;
  }

  async findOrderByTag(customTag: string, since: string): Promise<ProjectXOrder | undefined> {
    return (await this.searchOrders(since)).find((order) => order.customTag === customTag);
  }

  async searchOpenPositions(): Promise<ProjectXPosition[]> {
    return (
      await this.call<{ positions: ProjectXPosition[] }>('/api/Position/searchOpen', 'positions', {
        accountId: this.accountId,
      })
    ).positions;
  }
}
