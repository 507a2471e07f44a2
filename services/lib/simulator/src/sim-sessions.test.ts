/**
 * The simulator's sessions and calendar follow its own clock, never the machine's date.
 * @module
 */
import Decimal from 'decimal.js';
import { fixedClock } from '@atc/contracts';
import { expirations } from './option-pricing';
import { createSimContext, type SimContext } from './sim-context';
import { loadSimulatorConfig, simulatorOptionsFromConfig } from './simulator.config';

const place = (ctx: SimContext, book: 'tradier' | 'projectx', instrument: string, multiplier: number) =>
  ctx[book].place({
    account: book === 'tradier' ? 'VA000001' : '465',
    instrument,
    side: 'buy',
    type: 'market',
    quantity: new Decimal(1),
    multiplier: new Decimal(multiplier),
    extra: {},
  });

describe('simulator sessions', () => {
  it('an option order placed before the open rests, and fills on the first tick of the session', () => {
    // 09:29:50 New York on Wednesday 2026-12-16: ten one-second ticks before the open.
    const ctx = createSimContext({ seed: 1, startTimeMs: Date.parse('2026-12-16T14:29:50Z') });
    const order = place(ctx, 'tradier', 'SPY261217C00606000', 100);
    expect(order.status).toBe('open');
    ctx.clock.advance(9);
    expect(order.status).toBe('open');
    ctx.clock.advance(1);
    expect(order.status).toBe('filled');
  });

  it('futures trade overnight on a weekday, not on a Saturday or Christmas Day', () => {
    const overnight = createSimContext({ seed: 1, startTimeMs: Date.parse('2026-12-16T08:00:00Z') });
    expect(place(overnight, 'projectx', 'MES', 5).status).toBe('filled');
    const saturday = createSimContext({ seed: 1, startTimeMs: Date.parse('2026-12-19T15:00:00Z') });
    expect(place(saturday, 'projectx', 'MES', 5).status).toBe('open');
    const christmas = createSimContext({ seed: 1, startTimeMs: Date.parse('2026-12-25T15:00:00Z') });
    expect(place(christmas, 'projectx', 'MES', 5).status).toBe('open');
    expect(place(christmas, 'tradier', 'SPY', 1).status).toBe('open');
  });

  it('lists an expiry on every trading day of the week, none on a holiday', () => {
    const wednesdayBeforeThanksgiving = Date.parse('2026-11-25T15:00:00Z');
    expect(expirations(wednesdayBeforeThanksgiving).slice(0, 5)).toEqual([
      '2026-11-25',
      '2026-11-27',
      '2026-11-30',
      '2026-12-01',
      '2026-12-04',
    ]);
    // After the close the day's own expiry is gone.
    expect(expirations(Date.parse('2026-11-25T22:00:00Z'))[0]).toBe('2026-11-27');
  });

  it('atc sim starts at SIM_START_TIME, or at the injected clock (the real time in production)', () => {
    const config = loadSimulatorConfig({});
    const at = fixedClock('2027-03-19T13:00:00Z');
    expect(simulatorOptionsFromConfig(config, {}, at).startTimeMs).toBe(Date.parse('2027-03-19T13:00:00Z'));
    const pinned = loadSimulatorConfig({ SIM_START_TIME: '2026-12-18T15:00:00Z' });
    expect(simulatorOptionsFromConfig(pinned, {}, at).startTimeMs).toBe(Date.parse('2026-12-18T15:00:00Z'));
  });
});
