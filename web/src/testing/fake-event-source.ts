/**
 * A stand-in for the browser's EventSource (jsdom has none): the test opens, feeds and drops the
 * connection by hand and reads the URLs the store opened.
 * @module
 */
import type { EventSourceLike } from '../stream/event-stream.store';

class FakeEventSource implements EventSourceLike {
  static readonly opened: FakeEventSource[] = [];
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }

  static reset(): void {
    FakeEventSource.opened.length = 0;
  }

  static latest(): FakeEventSource {
    const source = FakeEventSource.opened.at(-1);
    if (!source) throw new Error('no EventSource was opened');
    return source;
  }

  static readonly create = (url: string): FakeEventSource => new FakeEventSource(url);

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.onopen?.(new Event('open'));
  }

  /** Delivers `event: <type>` with `id:` and `data:` as the server frames it. */
  emit(type: string, id: string, data: unknown): void {
    const message = new MessageEvent<string>(type, { data: JSON.stringify(data), lastEventId: id });
    for (const listener of this.listeners.get(type) ?? []) listener(message);
  }

  drop(): void {
    this.onerror?.(new Event('error'));
  }
}

/** A stream event's data line. */
function streamEvent(id: string, type: string, extra: { market?: string; payload?: unknown } = {}) {
  return {
    id,
    type,
    aggregateType: null,
    aggregateId: null,
    market: extra.market ?? null,
    payload: extra.payload ?? {},
    createdAt: '2026-12-07T12:00:00.000Z',
  };
}

export { FakeEventSource, streamEvent };
