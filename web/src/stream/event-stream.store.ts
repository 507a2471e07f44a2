/**
 * The tab's one live connection to GET /api/stream. It asks for a ticket, opens an EventSource, and
 * keeps the last event id; when the connection drops it closes it (an EventSource would retry the
 * same, now spent, ticket), says so, waits 1 s doubling to 30 s with jitter, gets a new ticket and
 * resumes with `?since=<last id>` (an EventSource cannot set Last-Event-ID on a new connection).
 * Events are batched per animation frame: each frame appends them to a bounded ring buffer, hands
 * them to `onEvents` (which folds them into the query cache) and notifies subscribers once.
 * `event: reset` (the server dropped a slow client) calls `onReset`, which refetches the queries.
 * @module
 */
import { eventPayloadSchemas, StreamEvent } from '@atc/contracts';
import { RingBuffer } from './ring-buffer';

type StreamStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

/** The part of the browser's EventSource the store uses. */
interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

interface EventStreamOptions {
  readonly requestTicket: () => Promise<string>;
  /**
   * The newest event's id now ('0' when there is none), asked once before the first connection when
   * given: the resume point until an event arrives, so a drop before the first event (a quiet company,
   * a dashboard restarted) still resumes without losing what was written meanwhile.
   */
  readonly requestCursor?: () => Promise<string>;
  readonly createEventSource?: (url: string) => EventSourceLike;
  readonly onEvents?: (events: readonly StreamEvent[]) => void;
  readonly onReset?: () => void;
  readonly capacity?: number;
  readonly scheduleFrame?: (callback: () => void) => void;
  readonly random?: () => number;
}

interface StreamSnapshot {
  readonly status: StreamStatus;
  readonly lastEventId: string | null;
  /** Increases with every batch appended to the buffer. */
  readonly version: number;
  /** Events appended to the buffer since the store started, however many the buffer still holds. */
  readonly received: number;
}

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
const DEFAULT_CAPACITY = 2000;
const EVENT_TYPES = Object.keys(eventPayloadSchemas);

/** The wait before reconnect attempt `attempt` (0-based): 1 s doubling to 30 s, the upper half jittered. */
function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

class EventStreamStore {
  readonly buffer: RingBuffer<StreamEvent>;
  private snapshot: StreamSnapshot = { status: 'stopped', lastEventId: null, version: 0, received: 0 };
  private readonly listeners = new Set<() => void>();
  private source: EventSourceLike | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  /** The id of the last event received (the resume point), ahead of the snapshot until the next frame. */
  private lastEventId: string | null = null;
  private pending: StreamEvent[] = [];
  private frameScheduled = false;
  private readonly createEventSource: (url: string) => EventSourceLike;
  private readonly scheduleFrame: (callback: () => void) => void;
  private readonly random: () => number;

  constructor(private readonly options: EventStreamOptions) {
    this.buffer = new RingBuffer(options.capacity ?? DEFAULT_CAPACITY);
    this.createEventSource = options.createEventSource ?? ((url) => new EventSource(url));
    this.scheduleFrame = options.scheduleFrame ?? ((callback) => requestAnimationFrame(() => callback()));
    this.random = options.random ?? Math.random;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): StreamSnapshot => this.snapshot;

  start(): void {
    if (this.snapshot.status !== 'stopped') return;
    this.update({ status: 'connecting' });
    void this.connect();
  }

  stop(): void {
    this.source?.close();
    this.source = null;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.update({ status: 'stopped' });
  }

  private async connect(): Promise<void> {
    let ticket: string;
    if (this.lastEventId === null && this.options.requestCursor) {
      // Best effort: without a cursor the stream starts at the server's present, as it would anyway.
      this.lastEventId = await this.options.requestCursor().catch(() => null);
    }
    try {
      ticket = await this.options.requestTicket();
    } catch {
      // No ticket (API down, draining, rate limited): the same backoff as a dropped stream.
      this.retry();
      return;
    }
    if (this.snapshot.status === 'stopped') return;
    const since = this.lastEventId;
    const url = `/api/stream?ticket=${encodeURIComponent(ticket)}${since ? `&since=${since}` : ''}`;
    const source = this.createEventSource(url);
    this.source = source;
    source.onopen = () => {
      this.attempt = 0;
      this.update({ status: 'open' });
    };
    source.onerror = () => {
      if (this.source !== source) return;
      source.close();
      this.source = null;
      this.retry();
    };
    const onMessage = (message: MessageEvent<string>) => this.receive(message);
    for (const type of EVENT_TYPES) source.addEventListener(type, onMessage);
    source.addEventListener('message', onMessage);
    source.addEventListener('reset', () => this.options.onReset?.());
  }

  private retry(): void {
    if (this.snapshot.status === 'stopped') return;
    this.update({ status: 'reconnecting' });
    const delay = backoffMs(this.attempt, this.random);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private receive(message: MessageEvent<string>): void {
    let parsed: StreamEvent;
    try {
      parsed = StreamEvent.parse(JSON.parse(message.data));
    } catch {
      // A frame we cannot read is skipped, but its id still moves the cursor: resuming must not replay it.
      if (message.lastEventId) this.lastEventId = message.lastEventId;
      return;
    }
    this.lastEventId = message.lastEventId || parsed.id;
    this.pending.push(parsed);
    if (!this.frameScheduled) {
      this.frameScheduled = true;
      this.scheduleFrame(() => this.flush());
    }
  }

  private flush(): void {
    this.frameScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    for (const event of batch) this.buffer.push(event);
    this.options.onEvents?.(batch);
    this.update({ version: this.snapshot.version + 1, received: this.snapshot.received + batch.length });
  }

  private update(change: Partial<StreamSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change, lastEventId: this.lastEventId };
    for (const listener of this.listeners) listener();
  }
}

export { backoffMs, EventStreamStore, type EventSourceLike, type StreamSnapshot, type StreamStatus };
