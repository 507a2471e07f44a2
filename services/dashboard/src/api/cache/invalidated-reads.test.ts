import type { Clock } from '@atc/contracts';
import { createInvalidatedReads } from './invalidated-reads';

/** A clock the test moves by hand. */
function handClock(start = Date.parse('2026-12-07T21:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

/** Loads the test completes by hand, counted. */
function controlledLoads<T>() {
  const pending: Array<{ resolve(value: T): void; reject(error: Error): void }> = [];
  const load = jest.fn(
    () =>
      new Promise<T>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
  );
  return { load, pending };
}

describe('createInvalidatedReads', () => {
  it('shares one read per key among every caller while it is in flight', async () => {
    const reads = createInvalidatedReads<string>({ maxAgeMs: 1000, maxKeys: 10, clock: handClock() });
    const { load, pending } = controlledLoads<string>();
    const a = Array.from({ length: 50 }, () => reads.read('status=awaiting', load));
    const b = reads.read('status=approved', load);
    expect(load).toHaveBeenCalledTimes(2);
    pending[0]!.resolve('awaiting page');
    pending[1]!.resolve('approved page');
    expect(await Promise.all(a)).toEqual(Array(50).fill('awaiting page'));
    expect(await b).toBe('approved page');
  });

  it('answers a completed read for maxAgeMs, then reads again', async () => {
    const clock = handClock();
    const reads = createInvalidatedReads<number>({ maxAgeMs: 1000, maxKeys: 10, clock });
    let next = 0;
    const load = jest.fn(() => Promise.resolve((next += 1)));
    expect(await reads.read('k', load)).toBe(1);
    clock.advance(999);
    expect(await reads.read('k', load)).toBe(1);
    clock.advance(1);
    expect(await reads.read('k', load)).toBe(2);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('reads again at once after an invalidation, however young the kept read', async () => {
    const reads = createInvalidatedReads<number>({ maxAgeMs: 60_000, maxKeys: 10, clock: handClock() });
    let next = 0;
    const load = () => Promise.resolve((next += 1));
    expect(await reads.read('k', load)).toBe(1);
    reads.invalidate();
    expect(await reads.read('k', load)).toBe(2);
    expect(await reads.read('k', load)).toBe(2);
  });

  it('never keeps, nor lets a later caller join, a read that started before the invalidation', async () => {
    const reads = createInvalidatedReads<string>({ maxAgeMs: 60_000, maxKeys: 10, clock: handClock() });
    const { load, pending } = controlledLoads<string>();
    const before = reads.read('k', load);
    reads.invalidate();
    const after = reads.read('k', load);
    expect(load).toHaveBeenCalledTimes(2);
    pending[0]!.resolve('read before the change');
    pending[1]!.resolve('read after the change');
    expect(await before).toBe('read before the change');
    expect(await after).toBe('read after the change');
    // The later caller gets the read that followed the change, not the one that preceded it.
    expect(await reads.read('k', load)).toBe('read after the change');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not keep the old read even when it completes after the new one', async () => {
    const reads = createInvalidatedReads<string>({ maxAgeMs: 60_000, maxKeys: 10, clock: handClock() });
    const { load, pending } = controlledLoads<string>();
    const before = reads.read('k', load);
    reads.invalidate();
    const after = reads.read('k', load);
    pending[1]!.resolve('new');
    await after;
    pending[0]!.resolve('old');
    await before;
    expect(await reads.read('k', load)).toBe('new');
  });

  it('keeps no failed read: the next caller reads again', async () => {
    const reads = createInvalidatedReads<number>({ maxAgeMs: 60_000, maxKeys: 10, clock: handClock() });
    const { load, pending } = controlledLoads<number>();
    const failing = reads.read('k', load);
    pending[0]!.reject(new Error('database unavailable'));
    await expect(failing).rejects.toThrow('database unavailable');
    const retried = reads.read('k', load);
    pending[1]!.resolve(3);
    expect(await retried).toBe(3);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('holds at most maxKeys keys, dropping the oldest', async () => {
    const reads = createInvalidatedReads<string>({ maxAgeMs: 60_000, maxKeys: 2, clock: handClock() });
    const load = jest.fn((key: string) => Promise.resolve(key));
    for (const key of ['a', 'b', 'c']) await reads.read(key, () => load(key));
    expect(reads.size).toBe(2);
    await reads.read('b', () => load('b'));
    await reads.read('a', () => load('a'));
    expect(load.mock.calls.map(([key]) => key)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('reads every time when maxAgeMs is 0', async () => {
    const reads = createInvalidatedReads<number>({ maxAgeMs: 0, maxKeys: 10, clock: handClock() });
    const load = jest.fn(() => Promise.resolve(1));
    await Promise.all([reads.read('k', load), reads.read('k', load)]);
    expect(load).toHaveBeenCalledTimes(2);
    expect(reads.size).toBe(0);
  });
});
