import { silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { StepNotifications, WorkerRuntime, type StepExecutor } from '@atc/trading';
import { insertQueuedSteps, recordedStepChanges } from '@atc/trading/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('worker runtime (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
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
    const executor: StepExecutor = async () => {
      stats.started += 1;
      if (stats.started > passFirst) await gate;
      return { type: 'succeeded' };
    };
    return { executor, stats, release: () => release() };
  }

  async function runUntilAllSucceeded(runtimes: readonly WorkerRuntime[]): Promise<void> {
    for (const r of runtimes) r.start();
    for (let i = 0; i < 200 && (await statuses()).some((s) => s.status !== 'succeeded'); i++) await sleep(50);
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
    for (let i = 0; i < 100 && gated.stats.started < 2; i++) await sleep(20);
    expect(gated.stats.started).toBe(2);
    const drained = worker.drain();
    let finished = false;
    void drained.then(() => (finished = true));
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
    for (let i = 0; i < 100 && (await statuses()).find((s) => s.status === 'running')?.n !== 6; i++)
      await sleep(20);
    expect((await statuses()).find((s) => s.status === 'running')?.n).toBe(6);
    const drained = worker.drain();
    await sleep(100);
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
      await sleep(700); // A has run two rounds of 300 ms steps: it now claims for its free slots only
      const held = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from atc.steps where status = 'running'`,
      );
      // 2 running and at most what the slots finish during one claim (a claim slower than 450 ms
      // would make that 3); without pacing, A would hold all 12 but the 4 it has finished.
      expect(held.rows[0]!.n).toBeLessThanOrEqual(5);
      b.start();
      for (let i = 0; i < 200 && (await statuses()).some((s) => s.status !== 'succeeded'); i++) {
        await sleep(50);
      }
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
    const worker = runtime(() => Promise.resolve({ type: 'succeeded' }), { mayClaim: () => allowed });
    worker.start();
    await sleep(300);
    expect(await statuses()).toEqual([{ status: 'queued', n: 3 }]);
    allowed = true;
    for (let i = 0; i < 100 && (await statuses())[0]?.status !== 'succeeded'; i++) await sleep(20);
    await worker.drain();
    expect(await statuses()).toEqual([{ status: 'succeeded', n: 3 }]);
  });

  it('wakes on the atc_steps notification long before its poll would', async () => {
    const worker = runtime(() => Promise.resolve({ type: 'succeeded' }), { pollIntervalMs: 60_000 });
    const notifications = new StepNotifications({
      databaseUrl: db.url,
      applicationName: 'test-listen',
      logger: silentLogger(),
      onNotify: (market) => market === 'options' && worker.wake(),
    });
    await notifications.start();
    worker.start();
    await sleep(100);
    const inserted = Date.now();
    await insertQueuedSteps(db.pool, { market: 'options', count: 1 });
    for (let i = 0; i < 100 && (await statuses())[0]?.status !== 'succeeded'; i++) await sleep(10);
    const elapsed = Date.now() - inserted;
    await worker.drain();
    await notifications.stop();
    expect(await statuses()).toEqual([{ status: 'succeeded', n: 1 }]);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('a step whose lease is taken over has its signal aborted and settles nothing', async () => {
    const { stepIds } = await insertQueuedSteps(db.pool, { market: 'options', count: 1 });
    let sawAbort: unknown;
    const executor: StepExecutor = async (_step, { signal }) => {
      // Waits for the abort: a long venue call honouring its signal.
      sawAbort = await new Promise((resolve) => {
        signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
        setTimeout(() => resolve('never aborted'), 5_000);
      });
      return { type: 'succeeded' };
    };
    const worker = runtime(executor, { concurrency: 1, leaseRenewIntervalMs: 50 });
    worker.start();
    for (let i = 0; i < 100 && (await statuses())[0]?.status !== 'running'; i++) await sleep(10);
    // Another worker takes the step over (as after an expired lease): same step, next attempt.
    await db.pool.query(
      `update atc.steps set lease_owner = 'the-other-worker', attempt = attempt + 1 where id = $1`,
      [stepIds[0]],
    );
    for (let i = 0; i < 200 && sawAbort === undefined; i++) await sleep(10);
    await worker.drain();
    expect(sawAbort).toEqual(new Error('lease lost'));
    const step = await db.pool.query<{ status: string; lease_owner: string }>(
      'select status, lease_owner from atc.steps where id = $1',
      [stepIds[0]],
    );
    expect(step.rows[0]).toEqual({ status: 'running', lease_owner: 'the-other-worker' });
  });
});
