import type { Clock } from '@atc/contracts';
import { createFreshRead } from './fresh-read';

/** A clock the test moves by hand. */
function handClock(start = Date.parse('2026-12-07T15:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

/** A read whose calls the test completes by hand, counting them. */
function controlledRead<T>() {
  const pending: Array<{ resolve(value: T): void; reject(error: Error): void }> = [];
  const read = jest.fn(
    () =>
      new Promise<T>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
  );
  return { read, pending };
}

describe('createFreshRead', () => {
  it('shares one read among every caller while it is in flight', async () => {
    const clock = handClock();
    const { read, pending } = controlledRead<number>();
    const fresh = createFreshRead(read, { maxAgeMs: 1000, clock });
    const callers = Array.from({ length: 100 }, () => fresh());
    expect(read).toHaveBeenCalledTimes(1);
    pending[0]!.resolve(7);
    expect(await Promise.all(callers)).toEqual(Array(100).fill(7));
  });

  it('serves a completed read for maxAgeMs, then reads again', async () => {
    const clock = handClock();
    let next = 0;
    const read = jest.fn(() => Promise.resolve((next += 1)));
    const fresh = createFreshRead(read, { maxAgeMs: 1000, clock });
    expect(await fresh()).toBe(1);
    clock.advance(999);
    expect(await fresh()).toBe(1);
    clock.advance(1);
    expect(await fresh()).toBe(2);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('keeps no failed read: the callers of the failure see it, the next caller reads again', async () => {
    const clock = handClock();
    const { read, pending } = controlledRead<string>();
    const fresh = createFreshRead(read, { maxAgeMs: 1000, clock });
    const failing = [fresh(), fresh()];
    pending[0]!.reject(new Error('database gone'));
    for (const caller of failing) await expect(caller).rejects.toThrow('database gone');
    const retry = fresh();
    expect(read).toHaveBeenCalledTimes(2);
    pending[1]!.resolve('back');
    expect(await retry).toBe('back');
  });

  it('with maxAgeMs 0 still shares a read in flight but never serves a completed one', async () => {
    const clock = handClock();
    let next = 0;
    const read = jest.fn(() => Promise.resolve((next += 1)));
    const fresh = createFreshRead(read, { maxAgeMs: 0, clock });
    expect(await Promise.all([fresh(), fresh()])).toEqual([1, 1]);
    expect(await fresh()).toBe(2);
  });
});

/** Lets the settled read's handlers run (each `.then` is one microtask hop). */
async function settleHandlers(): Promise<void> {
  for (let hop = 0; hop < 5; hop += 1) await Promise.resolve();
}

describe('createFreshRead with maxStaleMs (stale-while-revalidate)', () => {
  it('answers from the kept result while the next read runs, then from the new one', async () => {
    const clock = handClock();
    const { read, pending } = controlledRead<string>();
    const fresh = createFreshRead(read, { maxAgeMs: 1000, maxStaleMs: 5000, clock });
    const first = fresh();
    pending[0]!.resolve('first');
    expect(await first).toBe('first');
    clock.advance(1500);
    // Stale: the caller is answered at once, and a refresh has started (one, however many ask).
    expect(await fresh()).toBe('first');
    expect(await fresh()).toBe('first');
    expect(read).toHaveBeenCalledTimes(2);
    pending[1]!.resolve('second');
    await settleHandlers();
    expect(await fresh()).toBe('second');
  });

  it('past maxStaleMs the caller waits for the read', async () => {
    const clock = handClock();
    const { read, pending } = controlledRead<string>();
    const fresh = createFreshRead(read, { maxAgeMs: 1000, maxStaleMs: 5000, clock });
    const first = fresh();
    pending[0]!.resolve('first');
    await first;
    clock.advance(5000);
    let answered: string | undefined;
    const waiting = fresh().then((value) => (answered = value));
    await Promise.resolve();
    expect(answered).toBeUndefined();
    pending[1]!.resolve('second');
    await waiting;
    expect(answered).toBe('second');
  });

  it('a failed refresh keeps serving the stale result until it is too old, and is retried', async () => {
    const clock = handClock();
    const { read, pending } = controlledRead<string>();
    const fresh = createFreshRead(read, { maxAgeMs: 1000, maxStaleMs: 5000, clock });
    const first = fresh();
    pending[0]!.resolve('first');
    await first;
    clock.advance(1500);
    expect(await fresh()).toBe('first');
    pending[1]!.reject(new Error('database gone'));
    await settleHandlers();
    expect(await fresh()).toBe('first');
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('after invalidate, answers neither the kept result nor a read begun before it', async () => {
    const clock = handClock();
    const { read, pending } = controlledRead<string>();
    const fresh = createFreshRead(read, { maxAgeMs: 1000, maxStaleMs: 5000, clock });
    const first = fresh();
    pending[0]!.resolve('before');
    expect(await first).toBe('before');
    clock.advance(1500);
    // Stale but within maxStaleMs: answered from the kept result while a refresh starts.
    expect(await fresh()).toBe('before');
    fresh.invalidate();
    const afterChange = fresh();
    expect(read).toHaveBeenCalledTimes(3);
    pending[1]!.resolve('refresh begun before the change');
    pending[2]!.resolve('after');
    expect(await afterChange).toBe('after');
    expect(await fresh()).toBe('after');
    expect(read).toHaveBeenCalledTimes(3);
  });
});
