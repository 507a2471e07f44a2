import type { Clock } from '@atc/contracts';
import type { ApiKeyVerification } from '@atc/trading';
import { createVerifiedKeyCache } from './verified-key-cache';

function handClock(start = Date.parse('2026-12-07T15:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

const KEY = 'atc_0123456789abcdef';
const valid = (expiresAt: Date | null = null): ApiKeyVerification => ({
  ok: true,
  name: 'ops',
  role: 'operator',
  expiresAt,
});

describe('createVerifiedKeyCache', () => {
  it('reads the database once per window for a valid key', async () => {
    const clock = handClock();
    const verify = jest.fn(() => Promise.resolve(valid()));
    const cache = createVerifiedKeyCache(verify, { ttlMs: 5000, clock });
    for (let i = 0; i < 50; i += 1) expect(await cache.verify(KEY)).toMatchObject({ ok: true, name: 'ops' });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('a revocation takes effect once the window has passed', async () => {
    const clock = handClock();
    let answer: ApiKeyVerification = valid();
    const verify = jest.fn(() => Promise.resolve(answer));
    const cache = createVerifiedKeyCache(verify, { ttlMs: 5000, clock });
    await cache.verify(KEY);
    answer = { ok: false, reason: 'revoked' };
    clock.advance(4999);
    expect(await cache.verify(KEY)).toMatchObject({ ok: true });
    clock.advance(1);
    expect(await cache.verify(KEY)).toEqual({ ok: false, reason: 'revoked' });
    clock.advance(1);
    expect(await cache.verify(KEY)).toEqual({ ok: false, reason: 'revoked' });
    expect(verify).toHaveBeenCalledTimes(3);
  });

  it("honours the key's own expiry inside the window", async () => {
    const clock = handClock();
    const expiresAt = new Date(clock.now().getTime() + 1000);
    const verify = jest
      .fn<Promise<ApiKeyVerification>, [string]>()
      .mockResolvedValueOnce(valid(expiresAt))
      .mockResolvedValue({ ok: false, reason: 'expired' });
    const cache = createVerifiedKeyCache(verify, { ttlMs: 60_000, clock });
    expect(await cache.verify(KEY)).toMatchObject({ ok: true });
    clock.advance(1000);
    expect(await cache.verify(KEY)).toEqual({ ok: false, reason: 'expired' });
  });

  it('never keeps a failure, so a key created a moment ago works at once', async () => {
    const clock = handClock();
    const verify = jest
      .fn<Promise<ApiKeyVerification>, [string]>()
      .mockResolvedValueOnce({ ok: false, reason: 'unknown' })
      .mockResolvedValue(valid());
    const cache = createVerifiedKeyCache(verify, { ttlMs: 5000, clock });
    expect(await cache.verify(KEY)).toEqual({ ok: false, reason: 'unknown' });
    expect(await cache.verify(KEY)).toMatchObject({ ok: true });
  });

  it('keeps different keys apart, and with ttl 0 reads every time', async () => {
    const clock = handClock();
    const verify = jest.fn((key: string): Promise<ApiKeyVerification> =>
      Promise.resolve({ ok: true, name: key, role: 'viewer', expiresAt: null }),
    );
    const cache = createVerifiedKeyCache(verify, { ttlMs: 5000, clock });
    expect(await cache.verify('atc_a')).toMatchObject({ name: 'atc_a' });
    expect(await cache.verify('atc_b')).toMatchObject({ name: 'atc_b' });
    const uncached = createVerifiedKeyCache(verify, { ttlMs: 0, clock });
    await uncached.verify(KEY);
    await uncached.verify(KEY);
    expect(verify).toHaveBeenCalledTimes(4);
  });
});
