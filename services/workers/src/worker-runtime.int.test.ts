import { silentLogger, type Logger } from '@atc/platform';
import { captureLogger, createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { StepNotifications, WorkerRuntime, type StepExecutor } from '@atc/queue';
import { insertQueuedSteps } from '@atc/trading/testing';
import { DatabaseChanges, recordedStepChanges } from '@atc/queue/testing';

/** Lets every callback already due run (I/O, timers at 0, promise jobs): no time passes. */
const turnOfTheLoop = () => new Promise((resolve) => setImmediate(resolve));

describe('worker runtime (real PostgreSQL)', () => {
  let db: TestDatabase;
  let changes: DatabaseChanges;
  beforeAll(async () => {
    db = await createTestDatabase();
    changes = await DatabaseChanges.listen(db.url);
  });
  afterAll(async () => {
    await changes.close();
    await db.drop();
  });
  beforeEach(async () => {
    await db.pool.query('truncate atc.steps, atc.missions, atc.proposals, atc.events cascade');
  });

  function runtime(
    executor: StepExecutor,
    options: {
      concurrency?: number;
      pollIntervalMs?: number;
      mayClaim?: () => boolean;
      prefetch?: number;
      leaseRenewIntervalMs?: number;
      logger?: Logger;
      monotonicNow?: () => number;
    } = {},
  ) {
    return new WorkerRuntime({
      pool: db.pool,
      market: 'options',
      workerId: `w-${Math.random().toString(36).slice(2)}`,
      kinds: ['execute_trade'],
      concurrency: options.concurrency ?? 2,
      leaseMs: 30_000,
      leaseRenewIntervalMs: options.leaseRenewIntervalMs ?? 10_000,
      pollIntervalMs: options.pollIntervalMs ?? 50,
      executor,
      mayClaim: options.mayClaim ?? (() => true),
      logger: options.logger ?? silentLogger(),
      prefetch: options.prefetch ?? 0,
      ...(options.monotonicNow ? { monotonicNow: options.monotonicNow } : {}),
    });
  }

  const statuses = async () =>
    (
      await db.pool.query<{ status: string; n: number }>(
        'select status, count(*)::int as n from atc.steps group by status',
      )
    ).rows;

  const countOf = async (status: string) => (await statuses()).find((s) => s.status === status)?.n ?? 0;
  const allSucceeded = async () => (await statuses()).every((s) => s.status === 'succeeded');

  /** Counts each step's runs in `seen`, and the most steps it ran at once. */
  function countingExecutor(seen: Map<string, number>) {
    let running = 0;
    const stats = { peak: 0 };
    const executor: StepExecutor = async (step) => {
      running += 1;
      stats.peak = Math.max(stats.peak, running);
      seen.set(step.id, (seen.get(step.id) ?? 0) + 1);
      // Real work, a database round trip: the runtime starts other steps meanwhile, so they overlap.
      await db.pool.query('select 1');
      running -= 1;
      return { type: 'succeeded' };
    };
    return { executor, stats };
  }

  /** Holds every step it starts until `release()`, except the first `passFirst`, which succeed at once. */
  function gatedExecutor(passFirst = 0) {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stats = { started: 0 };
    const waiting: { n: number; resolve: () => void }[] = [];
    const executor: StepExecutor = async () => {
      stats.started += 1;
      for (const w of waiting.filter((w) => stats.started >= w.n)) w.resolve();
      if (stats.started > passFirst) await gate;
      return { type: 'succeeded' };
    };
    /** Resolves once `n` steps have started. */
    const started = (n: number) =>
      stats.started >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve }));
    return { executor, stats, started, release: () => release() };
  }

  async function runUntilAllSucceeded(runtimes: readonly WorkerRuntime[]): Promise<void> {
    for (const r of runtimes) r.start();
    await changes.until('every step succeeded', allSucceeded);
    await Promise.all(runtimes.map((r) => r.drain()));
  }

  it('two runtimes settle 60 steps, each exactly once, never more than `concurrency` at a time each', async () => {
    await insertQueuedSteps(db.pool, { market: 'options', count: 60 });
    const seen = new Map<string, number>();
    const { executor, stats } = countingExecutor(seen);
    await runUntilAllSucceeded([
      runtime(executor, { concurrency: 3 }),
      runtime(executor, { concurrency: 3 }),
    ]);
    expect(await statuses()).toEqual([{ status: 'succeeded', n: 60 }]);
    expect(seen.size).toBe(60);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(stats.peak).toBeLessThanOrEqual(6);
  });

  it('drain stops claiming and waits for the in-flight steps to finish', async () => {
    await insertQueuedSteps(db.pool, { market: 'options', count: 10 });
    const gated = gatedExecutor();
    const logs = captureLogger();
    const worker = runtime(gated.executor, { concurrency: 2, logger: logs.logger });
    worker.start();
    await gated.started(2);
    expect(gated.stats.started).toBe(2);
    const drained = worker.drain();
    let finished = false;
    void drained.then(() => (finished = true));
    // Drain has stopped claiming and now waits for the two steps behind the closed gate; a drain
    // that did not wait would be done by the next turn of the event loop.
    expect(await logs.logged('draining: waiting for in-flight steps')).toMatchObject({ inFlight: 2 });
    await turnOfTheLoop();
    expect(finished).toBe(false);
    gated.release();
    await drained;
    expect(gated.stats.started).toBe(2);
    expect(await statuses()).toEqual(
      expect.arrayContaining([
        { status: 'succeeded', n: 2 },
        { status: 'queued', n: 8 },
      ]),
    );
  });

  it('with a prefetch queue, still settles each step exactly once and runs at most `concurrency` at a time', async () => {
    await insertQueuedSteps(db.pool, { market: 'options', count: 60 });
    const seen = new Map<string, number>();
    const a = countingExecutor(seen);
    const b = countingExecutor(seen);
    await runUntilAllSucceeded([
      runtime(a.executor, { concurrency: 2, prefetch: 6 }),
      runtime(b.executor, { concurrency: 2, prefetch: 6 }),
    ]);
    expect(await statuses()).toEqual([{ status: 'succeeded', n: 60 }]);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(seen.size).toBe(60);
    expect(Math.max(a.stats.peak, b.stats.peak)).toBeLessThanOrEqual(2);
  });

  it('drain hands prefetched, never-started steps back to the queue with their attempt restored', async () => {
    await insertQueuedSteps(db.pool, { market: 'options', count: 10 });
    // The first two steps are quick: the worker then holds 4 ahead of its 2 slots (PrefetchPace).
    const gated = gatedExecutor(2);
    const worker = runtime(gated.executor, { concurrency: 2, prefetch: 4 });
    worker.start();
    await changes.until('6 steps are held', async () => (await countOf('running')) === 6);
    const drained = worker.drain();
    // The hand-back of the 4 never started commits before the gate opens.
    await changes.until('4 steps are handed back', async () => (await countOf('queued')) === 6);
    gated.release();
    await drained;
    expect(gated.stats.started).toBe(4);
    expect(await statuses()).toEqual(
      expect.arrayContaining([
        { status: 'succeeded', n: 4 },
        { status: 'queued', n: 6 },
      ]),
    );
    const attempts = await db.pool.query<{ attempt: number; n: number }>(
      `select attempt, count(*)::int as n from atc.steps where status = 'queued' group by attempt`,
    );
    expect(attempts.rows).toEqual([{ attempt: 0, n: 6 }]);
    // The hand-back is a state change like any other: recorded, in the transaction that made it.
    const handedBack = (await recordedStepChanges(db.pool)).filter(
      (c) => c.from === 'running' && c.to === 'queued',
    );
    expect(handedBack).toHaveLength(4);
    expect(handedBack.every((c) => c.error === 'handed back unstarted by a draining worker')).toBe(true);
  });

  /**
   * Steps that take `stepMs` each on a test clock: every step started waits for the test to end its
   * round (`finishRound`), which moves the clock on by `stepMs` and lets them return. The clock
   * stands still otherwise, so the runtime measures its claims as instant and its steps as slow,
   * however loaded the machine is.
   */
  function roundsExecutor(stepMs: number) {
    const clock = { ms: 0 };
    const ran: string[] = [];
    let endRound: () => void = () => undefined;
    let round = new Promise<void>((resolve) => (endRound = resolve));
    const waiting: { n: number; resolve: () => void }[] = [];
    const executor: StepExecutor = async (step) => {
      ran.push(step.id);
      for (const w of waiting.filter((w) => ran.length >= w.n)) w.resolve();
      await round;
      return { type: 'succeeded' };
    };
    return {
      executor,
      ran,
      monotonicNow: () => clock.ms,
      /** Resolves once `n` steps have started. */
      started: (n: number) =>
        ran.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve })),
      finishRound: () => {
        clock.ms += stepMs;
        const ending = endRound;
        round = new Promise<void>((resolve) => (endRound = resolve));
        ending();
      },
    };
  }

  it('with slow steps a worker claims only for its free slots, leaving the rest to the others', async () => {
    await insertQueuedSteps(db.pool, { market: 'options', count: 12 });
    const slowA = roundsExecutor(300);
    const ranByB: string[] = [];
    // A prefetch ceiling of 16 would let one claim take the whole backlog.
    const a = runtime(slowA.executor, { concurrency: 2, prefetch: 16, monotonicNow: slowA.monotonicNow });
    const b = runtime(
      (step) => {
        ranByB.push(step.id);
        return Promise.resolve({ type: 'succeeded' });
      },
      { concurrency: 2, prefetch: 16 },
    );
    a.start();
    try {
      // Two rounds of 300 ms steps and instant claims: A's pace now holds nothing ahead of its slots.
      await slowA.started(2);
      slowA.finishRound();
      await slowA.started(4);
      slowA.finishRound();
      await slowA.started(6);
      await changes.until('A settled two rounds', async () => (await countOf('succeeded')) === 4);
      // Exactly its 2 running steps; without pacing A would hold all 8 it has not finished.
      expect(await countOf('running')).toBe(2);
      b.start();
      await changes.until('B ran the rest', async () => (await countOf('succeeded')) === 10);
      slowA.finishRound();
      await changes.until('every step succeeded', allSucceeded);
    } finally {
      slowA.finishRound();
      await Promise.all([a.drain(), b.drain()]);
    }
    expect(await statuses()).toEqual([{ status: 'succeeded', n: 12 }]);
    expect(slowA.ran).toHaveLength(6);
    // Without pacing, A's claims take the whole backlog and B runs nothing.
    expect(ranByB).toHaveLength(6);
  });

  it('claims nothing while mayClaim says no (an open breaker or a halted market)', async () => {
    await insertQueuedSteps(db.pool, { market: 'options', count: 3 });
    let allowed = false;
    let asked = 0;
    let askedThrice: () => void = () => undefined;
    const threeRounds = new Promise<void>((resolve) => (askedThrice = resolve));
    const mayClaim = () => {
      if (++asked === 3) askedThrice();
      return allowed;
    };
    const worker = runtime(() => Promise.resolve({ type: 'succeeded' }), { mayClaim });
    worker.start();
    // Three claim rounds asked and were refused: nothing was claimed.
    await threeRounds;
    expect(await statuses()).toEqual([{ status: 'queued', n: 3 }]);
    allowed = true;
    await changes.until('every step succeeded', allSucceeded);
    await worker.drain();
    expect(await statuses()).toEqual([{ status: 'succeeded', n: 3 }]);
  });

  it('wakes on the atc_steps notification long before its poll would', async () => {
    let firstRound: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (firstRound = resolve));
    const worker = runtime(() => Promise.resolve({ type: 'succeeded' }), {
      pollIntervalMs: 60_000,
      mayClaim: () => {
        firstRound();
        return true;
      },
    });
    const notifications = new StepNotifications({
      databaseUrl: db.url,
      applicationName: 'test-listen',
      logger: silentLogger(),
      onNotify: (market) => market === 'options' && worker.wake(),
    });
    await notifications.start();
    worker.start();
    // The start's own claim round has asked; the next one can only come from the notification.
    await asked;
    const inserted = Date.now();
    await insertQueuedSteps(db.pool, { market: 'options', count: 1 });
    await changes.until('the step succeeded', async () => (await countOf('succeeded')) === 1, {
      recheckMs: 60_000,
    });
    const elapsed = Date.now() - inserted;
    await worker.drain();
    await notifications.stop();
    expect(await statuses()).toEqual([{ status: 'succeeded', n: 1 }]);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('a step whose lease is taken over has its signal aborted and settles nothing', async () => {
    const { stepIds } = await insertQueuedSteps(db.pool, { market: 'options', count: 1 });
    let sawAbort: unknown;
    let settledAbort: () => void = () => undefined;
    const abortSeen = new Promise<void>((resolve) => (settledAbort = resolve));
    const executor: StepExecutor = async (_step, { signal }) => {
      // Waits for the abort, as a long venue call honouring its signal would (jest's timeout bounds it).
      sawAbort = await new Promise((resolve) => {
        signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
      });
      settledAbort();
      return { type: 'succeeded' };
    };
    const worker = runtime(executor, { concurrency: 1, leaseRenewIntervalMs: 50 });
    worker.start();
    await changes.until('the step is running', async () => (await countOf('running')) === 1);
    // Another worker takes the step over (as after an expired lease): same step, next attempt.
    await db.pool.query(
      `update atc.steps set lease_owner = 'the-other-worker', attempt = attempt + 1 where id = $1`,
      [stepIds[0]],
    );
    await abortSeen;
    await worker.drain();
    expect(sawAbort).toEqual(new Error('lease lost'));
    const step = await db.pool.query<{ status: string; lease_owner: string }>(
      'select status, lease_owner from atc.steps where id = $1',
      [stepIds[0]],
    );
    expect(step.rows[0]).toEqual({ status: 'running', lease_owner: 'the-other-worker' });
  });
});
