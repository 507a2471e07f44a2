/**
 * The Nebula webhook relay (Zero G's FuturesRelay): the previous system's JSON alert, the webhook
 * secret in a header (never the URL, never a log line) and our client order id as `Idempotency-Key`.
 * The relay answers a bare 200 with no order id and has no status API: a 200 means "delivered", and
 * any ambiguous failure is an `OutcomeUnknownError` for reconciliation through ProjectX.
 * @module
 */
import type { ResilientHttp } from '@atc/platform';
import { z } from 'zod';
import { parseWire, rejectOn4xx } from './wire';

export interface NebulaAlert {
  readonly symbol: 'MES' | 'MNQ' | 'ES' | 'NQ';
  readonly side: 'buy' | 'sell' | 'flatten';
  readonly size: number;
  readonly account: number;
  readonly orderType?: 'limit' | 'stop';
  readonly limitPrice?: number;
  readonly stopPrice?: number;
}

export interface FuturesPrice {
  readonly last: number;
  readonly bid: number;
  readonly ask: number;
  readonly change: number;
}

const pricesSchema = z.record(
  z.string(),
  z.object({ last: z.number(), bid: z.number(), ask: z.number(), change: z.number() }),
);

export interface NebulaClientOptions {
  /** Webhook delivery (`…/nebula` in paper mode). */
  readonly webhook: ResilientHttp;
  readonly webhookPath?: string;
  readonly webhookKey: string;
  /** The futures price relay, usually the same host. */
  readonly prices?: ResilientHttp;
}

export class NebulaClient {
  constructor(private readonly options: NebulaClientOptions) {}

  /** Delivers one alert. Resolves on HTTP 200; throws VenueRejectedError on 4xx, OutcomeUnknownError when unsure. */
  async sendAlert(alert: NebulaAlert, idempotencyKey: string): Promise<void> {
    await rejectOn4xx(
      'nebula',
      () =>
        this.options.webhook.request({
          method: 'POST',
          path: this.options.webhookPath ?? '/webhook/tv',
          endpoint: 'webhook',
          headers: {
            'content-type': 'application/json',
            'x-webhook-key': this.options.webhookKey,
            'idempotency-key': idempotencyKey,
          },
          body: JSON.stringify(alert),
          submission: true,
        }),
      (body) => body.slice(0, 200) || 'alert refused',
    );
  }

  async getPrices(symbols: readonly string[]): Promise<Record<string, FuturesPrice>> {
    const http = this.options.prices ?? this.options.webhook;
    const res = await http.requestJson<unknown>({
      method: 'GET',
      path: '/api/futures/prices',
      endpoint: 'prices',
      query: { symbols: symbols.join(',') },
    });
    return parseWire(pricesSchema, res.body, { venue: 'nebula', endpoint: 'prices' });
  }
}
