import type { StreamEvent } from '@atc/contracts';
import { FakeEventSource, streamEvent } from '../testing/fake-event-source';
import { backoffMs, EventStreamStore } from './event-stream.store';

/** A store on fakes: tickets numbered 1, 2, …; frames run when the test says; jitter fixed. */
function storeOnFakes(options: { capacity?: number; failTickets?: number; cursor?: string } = {}) {
  let tickets = 0;
  let failures = options.failTickets ?? 0;
  const frames: (() => void)[] = [];
  const batches: StreamEvent[][] = [];
  const resets: number[] = [];
  let onOpen: (() => void) | null = null;
  const store = new EventStreamStore({
    requestTicket: () => {
      if (failures > 0) {
        failures -= 1;
        return Promise.reject(new Error('API down'));
      }
      tickets += 1;
      return Promise.resolve(`ticket-${tickets}`);
    },
    createEventSource: (url) => {
      const source = FakeEventSource.create(url);
      onOpen?.();
      return source;
    },
    onEvents: (events) => batches.push([...events]),
    onReset: () => resets.push(Date.now()),
    scheduleFrame: (callback) => frames.push(callback),
    random: () => 1,
    ...(options.capacity ? { capacity: options.capacity } : {}),
    ...(options.cursor ? { requestCursor: () => Promise.resolve(options.cursor!) } : {}),
  });
  /** Resolves when the store opens its next EventSource. */
  const nextSource = () =>
    new Promise<FakeEventSource>((resolve) => {
      onOpen = () => {
        onOpen = null;
        queueMicrotask(() => resolve(FakeEventSource.latest()));
      };
    });
  const runFrames = () => frames.splice(0).forEach((frame) => frame());
  return { store, frames, batches, resets, nextSource, runFrames };
}

beforeEach(() => {
  FakeEventSource.reset();
  jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'requestAnimationFrame'] });
});
afterEach(() => jest.useRealTimers());

describe('EventStreamStore', () => {
  it('opens the stream with a ticket and no since on the first connection', async () => {
    const { store, nextSource } = storeOnFakes();
    const opened = nextSource();
    store.start();
    const source = await opened;
    expect(source.url).toBe('/api/stream?ticket=ticket-1');
    source.open();
    expect(store.getSnapshot().status).toBe('open');
    store.stop();
  });

  it('after a dropped connection reconnects with a new ticket and since=<last event id>', async () => {
    const { store, nextSource, runFrames } = storeOnFakes();
    const first = nextSource();
    store.start();
    const source = await first;
    source.open();
    source.emit('proposal_decided', '41', streamEvent('41', 'proposal_decided'));
    source.emit('order_created', '42', streamEvent('42', 'order_created'));
    runFrames();

    const second = nextSource();
    source.drop();
    expect(source.closed).toBe(true);
    expect(store.getSnapshot().status).toBe('reconnecting');
    // The first retry waits 1 s (the jitter is fixed at its top here); not a moment sooner.
    jest.advanceTimersByTime(999);
    expect(FakeEventSource.opened).toHaveLength(1);
    jest.advanceTimersByTime(1);
    const resumed = await second;
    expect(resumed.url).toBe('/api/stream?ticket=ticket-2&since=42');
    resumed.open();
    expect(store.getSnapshot().status).toBe('open');
    store.stop();
  });

  it('given a cursor, starts from it and resumes from it after a drop before the first event', async () => {
    const { store, nextSource } = storeOnFakes({ cursor: '57' });
    const first = nextSource();
    store.start();
    const source = await first;
    // Events written after the cursor was read and before the stream opened are replayed, not lost.
    expect(source.url).toBe('/api/stream?ticket=ticket-1&since=57');
    source.open();
    const second = nextSource();
    source.drop();
    await jest.advanceTimersByTimeAsync(1000);
    expect((await second).url).toBe('/api/stream?ticket=ticket-2&since=57');
    store.stop();
  });

  it('backs off 1 s doubling to 30 s, with jitter in the upper half', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(backoffMs(2, () => 0)).toBe(2000);
  });

  it('retries when no ticket can be had, and resumes once one can', async () => {
    const { store, nextSource } = storeOnFakes({ failTickets: 1 });
    const opened = nextSource();
    store.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().status).toBe('reconnecting');
    await jest.advanceTimersByTimeAsync(1000);
    expect((await opened).url).toBe('/api/stream?ticket=ticket-1');
    store.stop();
  });

  it('batches the events of a frame: one notification and one fold per frame', async () => {
    const { store, nextSource, runFrames, batches, frames } = storeOnFakes();
    const opened = nextSource();
    store.start();
    const source = await opened;
    source.open();
    const notified = jest.fn();
    store.subscribe(notified);
    for (let id = 1; id <= 50; id += 1)
      source.emit('fill_recorded', String(id), streamEvent(String(id), 'fill_recorded'));
    expect(frames).toHaveLength(1);
    expect(notified).not.toHaveBeenCalled();
    runFrames();
    expect(notified).toHaveBeenCalledTimes(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(50);
    expect(store.getSnapshot()).toMatchObject({ version: 1, lastEventId: '50' });
    store.stop();
  });

  it('keeps at most its capacity of events in the ring buffer', async () => {
    const { store, nextSource, runFrames } = storeOnFakes({ capacity: 2000 });
    const opened = nextSource();
    store.start();
    const source = await opened;
    for (let id = 1; id <= 2500; id += 1)
      source.emit('signal_detected', String(id), streamEvent(String(id), 'signal_detected'));
    runFrames();
    const events = store.buffer.toArray();
    expect(events).toHaveLength(2000);
    expect(events[0]?.id).toBe('501');
    expect(events.at(-1)?.id).toBe('2500');
    // The count of events received is not bounded by the buffer (the feed shows it; bench:web checks it).
    expect(store.getSnapshot().received).toBe(2500);
    store.stop();
  });

  it('calls onReset on event: reset', async () => {
    const { store, nextSource, resets } = storeOnFakes();
    const opened = nextSource();
    store.start();
    const source = await opened;
    source.emit('reset', '', { reason: 'slow_client' });
    expect(resets).toHaveLength(1);
    store.stop();
  });

  it('stops for good: no retry after stop', async () => {
    const { store, nextSource } = storeOnFakes();
    const opened = nextSource();
    store.start();
    const source = await opened;
    store.stop();
    expect(source.closed).toBe(true);
    source.drop();
    jest.advanceTimersByTime(60_000);
    expect(FakeEventSource.opened).toHaveLength(1);
    expect(store.getSnapshot().status).toBe('stopped');
  });
});
