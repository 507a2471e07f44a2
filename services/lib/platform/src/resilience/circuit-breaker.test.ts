import { Registry } from 'prom-client';
import { createVenueBreaker, type VenueBreaker } from './circuit-breaker';
import { BreakerOpenError, HttpStatusError } from './http-errors';

const fail = (status: number) => () =>
  Promise.reject(new HttpStatusError('tradier', 'x', status, '', undefined));
const ok = () => Promise.resolve('ok');

async function breakerGauge(registry: Registry): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('atc_venue_breaker_state')?.get();
  return metric?.values.find((v) => v.labels.venue === 'tradier')?.value;
}

describe('VenueBreaker', () => {
  let breaker: VenueBreaker;
  let registry: Registry;
  beforeEach(() => {
    jest.useFakeTimers();
    registry = new Registry();
    breaker = createVenueBreaker({ venue: 'tradier', registry, resetTimeoutMs: 300_000 });
  });
  afterEach(() => {
    breaker.shutdown();
    jest.useRealTimers();
  });

  it('opens after exactly 3 consecutive failures and refuses calls without running them', async () => {
    await expect(breaker.run(fail(503))).rejects.toBeInstanceOf(HttpStatusError);
    await expect(breaker.run(fail(502))).rejects.toBeInstanceOf(HttpStatusError);
    expect(breaker.state).toBe('closed');
    await expect(breaker.run(fail(500))).rejects.toBeInstanceOf(HttpStatusError);
    expect(breaker.state).toBe('open');
    const action = jest.fn(ok);
    await expect(breaker.run(action)).rejects.toBeInstanceOf(BreakerOpenError);
    expect(action).not.toHaveBeenCalled();
    expect(await breakerGauge(registry)).toBe(2);
    expect(await breaker.readinessCheck()()).toEqual({
      ok: false,
      detail: 'tradier circuit breaker is open',
    });
  });

  it('counts only consecutive failures: a success in between resets the count', async () => {
    await expect(breaker.run(fail(503))).rejects.toThrow();
    await expect(breaker.run(fail(503))).rejects.toThrow();
    await breaker.run(ok);
    await expect(breaker.run(fail(503))).rejects.toThrow();
    await expect(breaker.run(fail(503))).rejects.toThrow();
    expect(breaker.state).toBe('closed');
  });

  it('does not count business rejections (4xx) nor throttling (429)', async () => {
    for (let i = 0; i < 5; i += 1) await expect(breaker.run(fail(400))).rejects.toThrow();
    for (let i = 0; i < 5; i += 1) await expect(breaker.run(fail(429))).rejects.toThrow();
    expect(breaker.state).toBe('closed');
  });

  it('probes after the reset time and closes after a successful probe', async () => {
    for (let i = 0; i < 3; i += 1) await expect(breaker.run(fail(503))).rejects.toThrow();
    await jest.advanceTimersByTimeAsync(299_999);
    expect(breaker.state).toBe('open');
    await jest.advanceTimersByTimeAsync(1);
    expect(breaker.state).toBe('half_open');
    expect(await breakerGauge(registry)).toBe(1);
    await expect(breaker.run(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(await breakerGauge(registry)).toBe(0);
    expect((await breaker.readinessCheck()()).ok).toBe(true);
  });

  it('re-opens when the probe fails, for another full reset period', async () => {
    for (let i = 0; i < 3; i += 1) await expect(breaker.run(fail(503))).rejects.toThrow();
    await jest.advanceTimersByTimeAsync(300_000);
    await expect(breaker.run(fail(503))).rejects.toBeInstanceOf(HttpStatusError);
    expect(breaker.state).toBe('open');
    await jest.advanceTimersByTimeAsync(300_000);
    expect(breaker.state).toBe('half_open');
  });

  it('takes its threshold and reset time from options', async () => {
    const quick = createVenueBreaker({ venue: 'jupiter', failureThreshold: 1, resetTimeoutMs: 1_000 });
    try {
      await expect(quick.run(fail(500))).rejects.toThrow();
      expect(quick.state).toBe('open');
      await jest.advanceTimersByTimeAsync(1_000);
      expect(quick.state).toBe('half_open');
    } finally {
      quick.shutdown();
    }
  });
});
