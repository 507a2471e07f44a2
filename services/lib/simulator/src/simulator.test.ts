import { fixedClock } from '@atc/contracts';
import { loadSimulatorConfig, simulatorOptionsFromConfig } from './simulator.config';
import { startSimulator, type RunningSimulator } from './simulator';

/** A Wednesday, 10:00 in New York: every market in session. */
const WEDNESDAY_OPEN = fixedClock('2026-12-16T15:00:00Z');

/**
 * `atc sim --seed N` in-process: the same config path and start function the command uses, on an
 * injected clock (the command passes the system clock).
 */
async function atcSim(seed: number, env: Record<string, string> = {}): Promise<RunningSimulator> {
  const config = loadSimulatorConfig({ SIM_TICK_INTERVAL_MS: '0', ...env });
  return startSimulator(simulatorOptionsFromConfig(config, { seed, port: 0 }, WEDNESDAY_OPEN));
}

const post = (sim: RunningSimulator, path: string, body: unknown) =>
  fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Reads what a client would see over the public APIs, tick by tick. */
async function observe(sim: RunningSimulator, ticks: number): Promise<unknown[]> {
  const seen: unknown[] = [];
  for (let i = 0; i < ticks; i += 1) {
    const futures = await (await fetch(`${sim.url}/nebula/api/futures/prices?symbols=MES,MNQ,ES,NQ`)).json();
    const tokens = await (
      await fetch(`${sim.url}/jupiter/price/v3?ids=So11111111111111111111111111111111111111112`, {
        headers: { 'x-api-key': 'k' },
      })
    ).json();
    const quotes = await (
      await fetch(`${sim.url}/tradier/v1/markets/quotes?symbols=SPY,QQQ,SPY261218C00600000`, {
        headers: { authorization: 'Bearer t', accept: 'application/json' },
      })
    ).json();
    seen.push({ futures, tokens, quotes });
    await post(sim, '/_sim/clock', { ticks: 37 });
  }
  return seen;
}

describe('simulator', () => {
  const running: RunningSimulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });
  const start = async (seed: number, env?: Record<string, string>) => {
    const sim = await atcSim(seed, env);
    running.push(sim);
    return sim;
  };

  it('atc sim --seed 42 started twice serves identical price paths; another seed differs', async () => {
    const [a, b, c] = [await start(42), await start(42), await start(43)];
    const [seenA, seenB, seenC] = [await observe(a, 12), await observe(b, 12), await observe(c, 12)];
    expect(seenA).toEqual(seenB);
    expect(seenA).not.toEqual(seenC);
    const path = async (sim: RunningSimulator) =>
      (await (await fetch(`${sim.url}/_sim/prices/SOL?from=0&to=2000`)).json()) as { prices: number[] };
    const [pathA, pathB] = [await path(a), await path(b)];
    expect(pathA.prices).toHaveLength(2001);
    expect(pathA).toEqual(pathB);
    // A random walk, not a constant: the path moves.
    expect(new Set(pathA.prices).size).toBeGreaterThan(1000);
  });

  it('keeps futures on their tick size and micros on their full-size path', async () => {
    const sim = await start(7);
    await post(sim, '/_sim/clock', { ticks: 321 });
    const prices = (await (
      await fetch(`${sim.url}/nebula/api/futures/prices?symbols=MES,ES,MNQ,NQ`)
    ).json()) as Record<string, { last: number; bid: number; ask: number }>;
    for (const p of Object.values(prices))
      for (const v of [p.last, p.bid, p.ask]) expect((v * 4) % 1).toBe(0);
    expect(prices.MES!.last).toBe(prices.ES!.last);
    expect(prices.MNQ!.ask - prices.MNQ!.bid).toBe(0.25);
  });

  it('applies faults from POST /_sim/faults and from SIM_FAULTS, and lists and clears them', async () => {
    const sim = await start(1, {
      SIM_FAULTS: JSON.stringify([{ endpoint: 'nebula.prices', rateLimitNext: 1, retryAfterSeconds: 7 }]),
    });
    const first = await fetch(`${sim.url}/nebula/api/futures/prices`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await fetch(`${sim.url}/nebula/api/futures/prices`)).status).toBe(200);
    expect((await post(sim, '/_sim/faults', { endpoint: 'nebula.*', outage: true })).status).toBe(201);
    expect((await fetch(`${sim.url}/nebula/api/futures/prices`)).status).toBe(503);
    expect((await post(sim, '/_sim/faults', { endpoint: 'x', errorRate: 2 })).status).toBe(400);
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    expect((await fetch(`${sim.url}/nebula/api/futures/prices`)).status).toBe(200);
  });

  it('error rates are reproducible per seed', async () => {
    const statuses = async (sim: RunningSimulator) => {
      await post(sim, '/_sim/faults', { endpoint: 'nebula.prices', errorRate: 0.5, errorStatus: 500 });
      const out: number[] = [];
      for (let i = 0; i < 20; i += 1) out.push((await fetch(`${sim.url}/nebula/api/futures/prices`)).status);
      return out;
    };
    const [a, b] = [await statuses(await start(5)), await statuses(await start(5))];
    expect(a).toEqual(b);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it('rejects a malformed config naming the key', () => {
    expect(() => loadSimulatorConfig({ SIM_FAULTS: 'not json', SIM_PORT: 'x' })).toThrow(
      /SIM_FAULTS: must be a JSON array of fault rules[\s\S]*SIM_PORT/,
    );
  });
});
