import { Client } from 'pg';
import type { Logger } from '@atc/platform';

/** Channel notified (payload: the market) whenever a step becomes claimable. */
export const STEPS_CHANNEL = 'atc_steps';

export interface StepNotificationsOptions {
  readonly databaseUrl: string;
  readonly applicationName: string;
  readonly logger: Logger;
  /** Called for every notification; the runtime filters by market. */
  readonly onNotify: (market: string) => void;
}

/**
 * A dedicated connection that LISTENs for queued steps, so a worker wakes within milliseconds
 * instead of waiting for its next poll. If the connection drops it reconnects with backoff; the
 * poll fallback keeps the worker working in the meantime, so a lost notification costs latency,
 * never a step.
 */
export class StepNotifications {
  private client: Client | undefined;
  private stopped = false;
  private reconnectDelayMs = 500;
  /** A reconnect is scheduled: a lost client's `error` and `end` both ask for one; one is enough. */
  private reconnectPending = false;

  constructor(private readonly options: StepNotificationsOptions) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: this.options.applicationName,
    });
    client.on('notification', (message) => this.options.onNotify(message.payload ?? ''));
    client.on('error', (error) => {
      this.options.logger.warn(
        { err: error },
        'step notification connection failed; polling until it reconnects',
      );
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    try {
      await client.connect();
      await client.query(`listen ${STEPS_CHANNEL}`);
      this.client = client;
      this.reconnectDelayMs = 500;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'cannot listen for step notifications; polling until it can');
      this.scheduleReconnect(client);
    }
  }

  private scheduleReconnect(client: Client): void {
    if (this.stopped || this.reconnectPending || (this.client !== undefined && this.client !== client))
      return;
    this.reconnectPending = true;
    this.client = undefined;
    void client.end().catch(() => undefined);
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(30_000, this.reconnectDelayMs * 2);
    setTimeout(() => {
      this.reconnectPending = false;
      if (!this.stopped) void this.connect();
    }, delay).unref();
  }
}
