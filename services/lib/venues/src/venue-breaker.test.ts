import { BreakerOpenError, runReadinessChecks } from '@atc/platform';
import { startHarness, type SimHarness } from '@atc/simulator/testing';

/**
 * Acceptance: a burst of 3 consecutive 5xx opens the venue's breaker and readiness reports it; after
 * the reset time (fake clock) one probe goes through and, succeeding, closes it.
 */
describe('venue breaker against the simulator', () => {
  let h: SimHarness;
  beforeEach(async () => {
    // Only timers are faked; the sockets' own callbacks keep running for the real HTTP traffic.
    jest.useFakeTimers({
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance'],
    });
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
    jest.useRealTimers();
  });

  it('opens after 3 consecutive 5xx, reports not ready, and closes after a successful probe', async () => {
    await h.addFault({ endpoint: 'tradier.quotes', failNext: 3, errorStatus: 503 });
    // One read: three attempts fail with 503; the retry that would have been the fourth meets the open breaker.
    await expect(h.clients.tradier.getQuotes(['SPY'])).rejects.toBeInstanceOf(BreakerOpenError);
    expect(h.clients.breakers.tradier.state).toBe('open');
    expect(h.sleeps).toHaveLength(3);
    const report = await runReadinessChecks(h.clients.readinessChecks(['tradier', 'jupiter']));
    expect(report.status).toBe('not_ready');
    expect(report.checks.breaker_tradier).toEqual({
      status: 'fail',
      detail: 'tradier circuit breaker is open',
    });
    expect(report.checks.breaker_jupiter?.status).toBe('ok');
    expect(await h.registry.metrics()).toContain('atc_venue_breaker_state{venue="tradier"} 2');

    // While open nothing is sent: the simulator's request count does not move.
    await expect(h.clients.tradier.getPositions()).rejects.toBeInstanceOf(BreakerOpenError);

    await jest.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(h.clients.breakers.tradier.state).toBe('open');
    await jest.advanceTimersByTimeAsync(1);
    expect(h.clients.breakers.tradier.state).toBe('half_open');
    const quotes = await h.clients.tradier.getQuotes(['SPY']);
    expect(quotes[0]?.symbol).toBe('SPY');
    expect(h.clients.breakers.tradier.state).toBe('closed');
    expect((await runReadinessChecks(h.clients.readinessChecks(['tradier']))).status).toBe('ready');
    expect(await h.registry.metrics()).toContain('atc_venue_breaker_state{venue="tradier"} 0');
  });

  it('an outage opens the breaker of that venue only; business rejections never do', async () => {
    for (let i = 0; i < 5; i += 1) {
      await expect(
        h.clients.tradier.placeOrder({
          class: 'equity',
          symbol: 'SPY',
          side: 'buy',
          quantity: '1',
          type: 'limit',
          duration: 'day',
          tag: `cc-r${i}`,
        }),
      ).rejects.toThrow(/price is required/);
    }
    expect(h.clients.breakers.tradier.state).toBe('closed');
    await h.addFault({ endpoint: 'jupiter.*', outage: true });
    await expect(
      h.clients.jupiter.prices(['So11111111111111111111111111111111111111112']),
    ).rejects.toBeInstanceOf(BreakerOpenError);
    expect(h.clients.breakers.jupiter.state).toBe('open');
    expect(h.clients.breakers.tradier.state).toBe('closed');
  });
});
