/**
 * One live stream connection: catches up from the table after its resume id, then takes the hub's
 * batches. Writes honour backpressure: while the socket does not drain, events wait in a bounded queue;
 * a client more than `maxBufferedEvents` behind gets `event: reset` and is disconnected, so a slow
 * reader costs at most that many events of memory.
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { listEventsAfter } from '@atc/trading';
import { type EventHub, type EventHubSubscriber, type StreamBatch, toFrame } from './event-hub';
import type { StreamMetrics } from './stream-metrics';
import type { StreamTimers } from './stream-timers';

export const RESET_FRAME = 'event: reset\ndata: {"reason":"slow_client"}\n\n';
const KEEP_ALIVE_FRAME = ': keep-alive\n\n';

export interface SseClientOptions {
  readonly response: ServerResponse;
  /** The last event id the client has (its resume point); undefined: from now on. */
  readonly lastId: bigint | undefined;
  readonly types: ReadonlySet<string> | undefined;
  readonly maxBufferedEvents: number;
  readonly metrics: StreamMetrics;
  readonly timers: StreamTimers;
  /** How long a dropped client's socket may take to flush its reset before it is destroyed. */
  readonly resetLingerMs: number;
  /** Called once when the client is gone: disconnected, or dropped as too slow. */
  readonly onFinished: () => void;
}

export class SseClient implements EventHubSubscriber {
  private lastId: bigint;
  private live = false;
  private closed = false;
  private waitingForDrain = false;
  private queue: string[] = [];
  private finished = false;
  private readonly response: ServerResponse;

  constructor(private readonly options: SseClientOptions) {
    this.lastId = options.lastId ?? -1n;
    this.response = options.response;
    this.response.on('drain', () => this.flush());
    this.response.once('close', () => {
      this.closed = true;
      this.queue = [];
      this.finish();
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends the events after the resume id up to the hub's settled cursor, page by page, then goes live. */
  async catchUp(hub: EventHub, pool: Pool, pageSize: number): Promise<void> {
    if (this.options.lastId === undefined) this.lastId = hub.cursor;
    while (!this.closed) {
      // Captured before the read: every id up to it was settled, so the read shows all of them.
      const target = hub.cursor;
      if (this.lastId >= target) {
        this.live = true;
        return;
      }
      const events = await listEventsAfter(pool, this.lastId.toString(), pageSize);
      let reachedTarget = events.length < pageSize;
      for (const event of events) {
        const id = BigInt(event.id);
        if (id > target) {
          reachedTarget = true;
          break;
        }
        this.lastId = id;
        if (this.options.types && !this.options.types.has(event.type)) continue;
        this.options.metrics.eventsSent.inc();
        if (!this.response.write(toFrame(event).text)) await this.drained();
        if (this.closed) return;
      }
      if (reachedTarget && this.lastId < target) this.lastId = target;
    }
  }

  deliver(batch: StreamBatch): void {
    if (!this.live || this.closed) return;
    const { frames } = batch;
    if (!this.options.types && !this.waitingForDrain && frames.length > 0 && frames[0]!.id > this.lastId) {
      // The common case: every frame is new to this client and unfiltered; one write for the batch.
      this.lastId = frames.at(-1)!.id;
      this.options.metrics.eventsSent.inc(frames.length);
      if (!this.response.write(batch.text)) this.waitingForDrain = true;
      return;
    }
    for (const frame of frames) {
      if (frame.id <= this.lastId) continue;
      this.lastId = frame.id;
      if (this.options.types && !this.options.types.has(frame.type)) continue;
      if (this.waitingForDrain) {
        this.queue.push(frame.text);
        if (this.queue.length > this.options.maxBufferedEvents) return this.dropSlowClient();
      } else {
        this.write(frame.text);
      }
    }
  }

  /** The process is draining: end the stream (the client's EventSource resumes from Last-Event-ID). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.finish();
    this.response.end();
  }

  keepAlive(): void {
    if (!this.closed && !this.waitingForDrain) this.response.write(KEEP_ALIVE_FRAME);
  }

  private write(text: string): void {
    this.options.metrics.eventsSent.inc();
    if (!this.response.write(text)) this.waitingForDrain = true;
  }

  private flush(): void {
    this.waitingForDrain = false;
    while (!this.closed && !this.waitingForDrain && this.queue.length > 0) this.write(this.queue.shift()!);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.once('drain', done);
      this.response.once('close', done);
    });
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.options.onFinished();
  }

  /** The last frame, then the end; the socket is destroyed if it cannot flush them in time. */
  private dropSlowClient(): void {
    this.closed = true;
    this.queue = [];
    this.options.metrics.slowClientsDropped.inc();
    this.finish();
    this.response.end(RESET_FRAME);
    const { timers } = this.options;
    const linger = timers.setTimeout(() => this.response.destroy(), this.options.resetLingerMs);
    this.response.once('close', () => timers.clearTimeout(linger));
  }
}
