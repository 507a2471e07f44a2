/**
 * The process's one reader of `atc.events` for the live stream: a dedicated connection LISTENs on
 * `atc_events`; each notification (coalesced) reads the new events once, in id order, serializes each
 * once, and hands the batch to every connected client.
 *
 * Ids that become visible out of order. An event id is taken from a sequence at insert and becomes
 * visible at commit, so a transaction that took id 7 may commit after the one that took id 8. The
 * hub's `cursor` is a watermark: every id at or below it is settled (visible, or never will be), so
 * `id:` values are delivered strictly increasing and a resume from `Last-Event-ID` is exact. At a
 * missing id the hub holds delivery (not a time-based settle window, which a slow transaction beats):
 * after `gapGraceMs` (the transaction holding the id has surely been given its xid by then) it notes
 * the transactions in flight, and the missing ids are declared dead (rolled back) only when all of
 * those have ended and the ids are still not visible. The price: a transaction that holds an event id
 * open stalls the stream until it ends (appendEvent runs in short transactions).
 * @module
 */
import { EventEmitter } from 'node:events';
import type { Client, Pool } from 'pg';
import type { Logger } from '@atc/platform';
import {
  countStillInFlight,
  EVENTS_CHANNEL,
  latestEventId,
  listEventsAfter,
  type StoredEvent,
  transactionsInFlight,
} from '@atc/trading';
import { realTimers, type StreamTimers } from './stream-timers';

/** One event, ready to write: the SSE frame is serialized once for all clients. */
export interface StreamFrame {
  readonly id: bigint;
  readonly type: string;
  readonly text: string;
}

/** A batch of frames in id order, and their text joined once (a client taking all of them writes it in one go). */
export interface StreamBatch {
  readonly frames: readonly StreamFrame[];
  readonly text: string;
}

export interface EventHubSubscriber {
  /** Called synchronously with each batch. */
  deliver(batch: StreamBatch): void;
  /** Called at each keep-alive interval. */
  keepAlive(): void;
  /** Called when the hub stops (the process drains): end the stream; the client resumes elsewhere. */
  close(): void;
}

export interface EventHubOptions {
  readonly pool: Pool;
  /** Opens the dedicated LISTEN connection (not from the pool: it is held for the process's life). */
  readonly connectListener: () => Promise<Client>;
  readonly logger: Logger;
  readonly keepAliveMs: number;
  readonly timers?: StreamTimers;
  /** Events read per query. */
  readonly batchSize?: number;
  readonly gapGraceMs?: number;
  /** While delivery is held at a missing id, how often the hub looks again. */
  readonly gapPollMs?: number;
  readonly reconnectMaxMs?: number;
  /**
   * The least time between two reads that follow notifications (SSE_BATCH_WINDOW_MS): notifications
   * within it are answered by one read and one write per client, so a burst of events costs each
   * socket one write, not one per event. 0 reads at every notification.
   */
  readonly batchWindowMs?: number;
}

interface Gap {
  readonly from: bigint;
  readonly to: bigint;
  readonly firstSeenMs: number;
  xids?: string[];
  dead?: boolean;
}

export function toFrame(event: StoredEvent): StreamFrame {
  const data = JSON.stringify({ ...event, createdAt: new Date(event.createdAt).toISOString() });
  return {
    id: BigInt(event.id),
    type: event.type,
    text: `id: ${event.id}\nevent: ${event.type}\ndata: ${data}\n\n`,
  };
}

/** Emits 'batch' (frames delivered) and 'held' (the missing id range) after each read, for tests. */
export class EventHub extends EventEmitter {
  private cursorId = 0n;
  /** Set once the starting cursor is settled; reads wait for it. */
  private ready = false;
  private readyPromise: Promise<void> | undefined;
  private readonly subscribers = new Set<EventHubSubscriber>();
  private gap: Gap | undefined;
  private listener: Client | undefined;
  private fetching = false;
  private fetchAgain = false;
  private lastReadStartedMs = Number.NEGATIVE_INFINITY;
  private windowScheduled = false;
  private stopped = false;
  private reconnectAttempt = 0;
  private readonly handles = new Set<unknown>();
  private keepAliveHandle: unknown;
  private readonly timers: StreamTimers;
  private readonly batchSize: number;

  constructor(private readonly options: EventHubOptions) {
    super();
    this.timers = options.timers ?? realTimers;
    this.batchSize = options.batchSize ?? 500;
  }

  /** Every id at or below is settled; the live batches start after it. */
  get cursor(): bigint {
    return this.cursorId;
  }

  get clientCount(): number {
    return this.subscribers.size;
  }

  /** Listens, then waits until every id taken before it started is settled. Idempotent. */
  start(): Promise<void> {
    // A failed start (the database down) is not remembered: the next client's call tries again.
    this.readyPromise ??= this.initialize().catch((error: unknown) => {
      this.readyPromise = undefined;
      throw error;
    });
    return this.readyPromise;
  }

  subscribe(subscriber: EventHubSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // Each stream ends now, so the server can close; its client reconnects with Last-Event-ID.
    for (const subscriber of [...this.subscribers]) subscriber.close();
    for (const handle of this.handles) this.timers.clearTimeout(handle);
    this.handles.clear();
    if (this.keepAliveHandle !== undefined) this.timers.clearInterval(this.keepAliveHandle);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private async initialize(): Promise<void> {
    await this.listen();
    // Ids at or below the newest one now may belong to transactions still in flight: wait them out.
    const newest = BigInt(await latestEventId(this.options.pool));
    await this.delay(this.options.gapGraceMs ?? 100);
    const xids = await transactionsInFlight(this.options.pool);
    while ((await countStillInFlight(this.options.pool, xids)) > 0) await this.delay(this.gapPollMs());
    this.cursorId = newest;
    this.ready = true;
    this.keepAliveHandle = this.timers.setInterval(() => {
      for (const subscriber of this.subscribers) subscriber.keepAlive();
    }, this.options.keepAliveMs);
    this.requestFetch();
  }

  private gapPollMs(): number {
    return this.options.gapPollMs ?? 100;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.schedule(resolve, ms));
  }

  private schedule(fn: () => void, ms: number): void {
    const handle = this.timers.setTimeout(() => {
      this.handles.delete(handle);
      if (!this.stopped) fn();
    }, ms);
    this.handles.add(handle);
  }

  private async listen(): Promise<void> {
    const client = await this.options.connectListener();
    client.on('notification', () => this.requestFetch());
    client.on('error', (error) => {
      this.options.logger.warn({ err: error }, 'event stream listener connection failed; reconnecting');
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    await client.query(`listen ${EVENTS_CHANNEL}`);
    this.listener = client;
    this.reconnectAttempt = 0;
  }

  private reconnect(lost: Client): void {
    if (this.stopped || this.listener !== lost) return;
    this.listener = undefined;
    lost.end().catch(() => undefined);
    const backoffMs = Math.min(this.options.reconnectMaxMs ?? 30_000, 100 * 2 ** this.reconnectAttempt);
    this.reconnectAttempt += 1;
    this.schedule(() => {
      this.listen().then(
        // Whatever was notified while no one listened is in the table after the cursor.
        () => this.requestFetch(),
        (error: unknown) => {
          this.options.logger.warn({ err: error }, 'event stream listener could not reconnect; retrying');
          this.listener = lost;
          this.reconnect(lost);
        },
      );
    }, backoffMs);
  }

  /** Reads after the cursor now (or when the batch window allows), or again when the read in progress ends. */
  requestFetch(): void {
    if (this.stopped || !this.ready) return;
    const windowMs = this.options.batchWindowMs ?? 0;
    const waitMs = this.lastReadStartedMs + windowMs - this.timers.now();
    if (waitMs > 0 && !this.fetching) {
      if (!this.windowScheduled) {
        this.windowScheduled = true;
        this.schedule(() => {
          this.windowScheduled = false;
          this.requestFetch();
        }, waitMs);
      }
      return;
    }
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    void this.fetchLoop();
  }

  private async fetchLoop(): Promise<void> {
    try {
      let more = true;
      while (more && !this.stopped) {
        this.fetchAgain = false;
        this.lastReadStartedMs = this.timers.now();
        // A full page is read on at once; a notification during the read waits for the window.
        more = await this.fetchOnce();
        if (!more && this.fetchAgain) this.fetchAgainAfterWindow();
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'event stream read failed; retrying');
      this.schedule(() => this.requestFetch(), 1_000);
    } finally {
      this.fetching = false;
    }
  }

  private fetchAgainAfterWindow(): void {
    this.fetchAgain = false;
    // After `finally` has cleared `fetching`, so the request is scheduled rather than dropped.
    queueMicrotask(() => this.requestFetch());
  }

  /** One read; true when there may be more to read right away. */
  private async fetchOnce(): Promise<boolean> {
    const { pool } = this.options;
    const gap = this.gap;
    // Before the read: a transaction that has ended by now is visible to the read if it committed.
    if (gap?.xids && !gap.dead && (await countStillInFlight(pool, gap.xids)) === 0) gap.dead = true;
    const events = await listEventsAfter(pool, this.cursorId.toString(), this.batchSize);
    const frames: StreamFrame[] = [];
    let expected = this.cursorId + 1n;
    let held: Gap | undefined;
    for (const event of events) {
      const id = BigInt(event.id);
      if (id > expected) {
        if (this.gap?.dead && this.gap.from <= expected && id - 1n <= this.gap.to) {
          this.options.logger.debug({ from: String(expected), to: String(id - 1n) }, 'event ids rolled back');
          this.gap = undefined;
        } else {
          held = this.heldGap(expected, id - 1n);
          break;
        }
      }
      frames.push(toFrame(event));
      expected = id + 1n;
    }
    this.cursorId = expected - 1n;
    if (frames.length > 0) this.fanOut(frames);
    this.gap = held;
    if (held) {
      this.emit('held', { from: held.from, to: held.to });
      if (!held.xids && this.timers.now() - held.firstSeenMs >= (this.options.gapGraceMs ?? 100)) {
        held.xids = await transactionsInFlight(pool);
      }
      this.schedule(() => this.requestFetch(), this.gapPollMs());
      return false;
    }
    return events.length === this.batchSize;
  }

  /** The gap now missing, keeping what is known of it when it is the same transactions' ids. */
  private heldGap(from: bigint, to: bigint): Gap {
    const known = this.gap;
    if (known && known.from <= from && to <= known.to) return { ...known, from, to };
    return { from, to, firstSeenMs: this.timers.now() };
  }

  private fanOut(frames: readonly StreamFrame[]): void {
    const batch: StreamBatch = { frames, text: frames.map((frame) => frame.text).join('') };
    for (const subscriber of this.subscribers) {
      try {
        subscriber.deliver(batch);
      } catch (error) {
        this.options.logger.warn({ err: error }, 'a stream client failed to take a batch');
      }
    }
    this.emit('batch', frames);
  }
}
