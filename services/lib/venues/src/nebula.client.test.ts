import { OutcomeUnknownError } from '@atc/platform';
import { Writable } from 'node:stream';
import { createLogger } from '@atc/platform';
import { createResilientHttp, createVenueBreaker } from '@atc/platform';
import { NebulaClient } from './nebula.client';
import { startHarness, type SimHarness } from '@atc/simulator/testing';
import { VenueRejectedError } from './venue';

describe('Nebula webhook client against the simulator', () => {
  let h: SimHarness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('delivers the alert with the secret in a header and the client order id as Idempotency-Key', async () => {
    await h.clients.nebula.sendAlert({ symbol: 'MNQ', side: 'buy', size: 3, account: 465 }, 'cc-neb-1');
    const [entry] = (
      (await (await fetch(`${h.sim.url}/_sim/orders`)).json()) as {
        orders: { clientOrderId: string; outcome: string; request: Record<string, unknown> }[];
      }
    ).orders;
    expect(entry).toMatchObject({
      clientOrderId: 'cc-neb-1',
      outcome: 'accepted',
      request: { symbol: 'MNQ', side: 'buy', size: 3 },
    });
    expect(JSON.stringify(entry)).not.toContain('sim-nebula-key');
    // The relay trades through ProjectX: the order is reconcilable there by the same id.
    const order = await h.clients.projectx.findOrderByTag('cc-neb-1', '2026-11-01T00:00:00Z');
    expect(order?.fillVolume).toBe(3);
  });

  it('never puts the secret in the URL or a log line, and a wrong secret is a rejection', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 't',
      version: '0',
      level: 'debug',
      format: 'json',
      destination: new Writable({
        write(chunk: Buffer, _e, cb) {
          lines.push(chunk.toString());
          cb();
        },
      }),
    });
    const breaker = createVenueBreaker({ venue: 'nebula', logger });
    const seen: string[] = [];
    const http = createResilientHttp({
      venue: 'nebula',
      baseUrl: `${h.sim.url}/nebula`,
      breaker,
      logger,
      sleep: () => Promise.resolve(),
    });
    const spy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      spy.mockRestore();
      return fetch(input, init);
    });
    const wrong = new NebulaClient({ webhook: http, webhookKey: 'not-the-key' });
    await expect(
      wrong.sendAlert({ symbol: 'ES', side: 'sell', size: 1, account: 465 }, 'cc-neb-2'),
    ).rejects.toBeInstanceOf(VenueRejectedError);
    expect(seen[0]).not.toContain('key');
    expect(lines.join('')).not.toContain('not-the-key');
    breaker.shutdown();
  });

  it('an ambiguous delivery is OutcomeUnknownError and is never resent', async () => {
    await h.addFault({ endpoint: 'nebula.webhook', failNext: 1, errorStatus: 504 });
    await expect(
      h.clients.nebula.sendAlert({ symbol: 'MES', side: 'buy', size: 1, account: 465 }, 'cc-neb-3'),
    ).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect((await h.journal()).filter((e) => e.clientOrderId === 'cc-neb-3')).toHaveLength(1);
  });

  it('reads the futures price relay', async () => {
    const prices = await h.clients.nebula.getPrices(['MES', 'MNQ', 'ES', 'NQ']);
    expect(Object.keys(prices).sort()).toEqual(['ES', 'MES', 'MNQ', 'NQ']);
  });
});
