import { silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { StepNotifications, WorkerRuntime, type StepExecutor } from '@atc/queue';
import { insertQueuedSteps } from '@atc/trading/testing';
import { DatabaseChanges, recordedStepChanges } from '@atc/queue/testing';

/** Simulated work inside an executor (never a wait for something to happen: those await changes). */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
      logger: silentLogger(),
      prefetch: options.prefetch ?? 0,
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
      await sleep(4);
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
    const worker = runtime(gated.executor, { concurrency: 2 });
    worker.start();
    await gated.started(2);
    expect(gated.stats.started).toBe(2);
    const drained = worker.drain();
    let finished = false;
    void drained.then(() => (finished = true));
    // Not a wait for a change: a window in which drain must NOT finish (the gate is still closed).
    await sleep(200);
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

  it('with slow steps a worker claims only for its free slots, leaving the rest to the others', async () => {
    await insertQueuedSteps(db.pool, { market: 'options', count: 12 });
    const slow =
      (ran: string[]): StepExecutor =>
      async (step) => {
        ran.push(step.id);
        await sleep(300);
        return { type: 'succeeded' };
      };
    const ranByA: string[] = [];
    const ranByB: string[] = [];
    // A prefetch ceiling of 16 would let one claim take the whole backlog.
    const a = runtime(slow(ranByA), { concurrency: 2, prefetch: 16 });
    const b = runtime(slow(ranByB), { concurrency: 2, prefetch: 16 });
    a.start();
    try {
      // A has run two rounds of 300 ms steps: it now claims for its free slots only.
      await changes.until('A finished two rounds', async () => (await countOf('succeeded')) >= 4);
      const held = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from atc.steps where status = 'running'`,
      );
      // 2 running and at most what the slots finish during one claim (a claim slower than 450 ms
      // would make that 3); without pacing, A would hold all 12 but the 4 it has finished.
      expect(held.rows[0]!.n).toBeLessThanOrEqual(5);
      b.start();
      await changes.until('every step succeeded', allSucceeded);
    } finally {
      await Promise.all([a.drain(), b.drain()]);
    }
    expect(await statuses()).toEqual([{ status: 'succeeded', n: 12 }]);
    expect(ranByA.length + ranByB.length).toBe(12);
    // Without pacing, A's first claim takes the whole backlog and B runs nothing.
    expect(ranByB.length).toBeGreaterThanOrEqual(2);
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
      // Waits for the abort: a long venue call honouring its signal (5 s is its own timeout).
      sawAbort = await new Promise((resolve) => {
        signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
        setTimeout(() => resolve('never aborted'), 5_000);
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
