import { PrefetchPace } from './prefetch-pace';

describe('PrefetchPace', () => {
  it('claims only for free slots until it has measured a claim and a step', () => {
    const pace = new PrefetchPace(32, 8);
    expect(pace.target).toBe(0);
    pace.claimTook(4);
    expect(pace.target).toBe(0);
    pace.executorTook(0.1);
    expect(pace.target).toBe(32);
  });

  it('quick steps fill the queue to the ceiling; slow ones leave nothing claimed ahead but a step', () => {
    const quick = new PrefetchPace(32, 8);
    quick.claimTook(4);
    quick.executorTook(0.05);
    expect(quick.target).toBe(32);

    const slow = new PrefetchPace(32, 8);
    slow.claimTook(4);
    slow.executorTook(800);
    // 8 slots × 4 ms / 800 ms = 0.04 of a step per claim: one step at most.
    expect(slow.target).toBe(1);
  });

  it('holds what the slots get through during one claim', () => {
    const pace = new PrefetchPace(32, 4);
    pace.claimTook(5);
    pace.executorTook(2);
    expect(pace.target).toBe(10); // 4 slots × 5 ms / 2 ms
  });

  it('follows a change of pace gradually, and never prefetches with a ceiling of 0', () => {
    const pace = new PrefetchPace(32, 8);
    pace.claimTook(4);
    pace.executorTook(1);
    expect(pace.target).toBe(32);
    pace.executorTook(1_000);
    const afterOneSlowStep = pace.target;
    expect(afterOneSlowStep).toBeLessThan(32);
    for (let i = 0; i < 30; i++) pace.executorTook(1_000);
    expect(pace.target).toBe(1);
    expect(pace.target).toBeLessThanOrEqual(afterOneSlowStep);

    const none = new PrefetchPace(0, 8);
    expect(none.target).toBe(0);
  });
});
