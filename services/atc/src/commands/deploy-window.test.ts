import type { HaltsState, Market } from '@atc/contracts';
import {
  DEFAULT_DEPLOY_WINDOW_MARKETS,
  describeDeployWindow,
  evaluateDeployWindow,
  parseMarketList,
} from './deploy-window';

const NO_HALTS: HaltsState = {
  global: null,
  markets: { crypto: null, options: null, futures: null },
  lossLatch: null,
};
const VENUES = { crypto: 'simulation', options: 'live', futures: 'paper' } as const;
const halt = (reason: string) => ({ reason, by: 'operator:test', since: '2026-12-16T14:00:00Z' });

// Every instant is fixed (an injected clock, never today's date). December: New York is UTC-5.
function windowAt(at: string, markets: readonly Market[] = DEFAULT_DEPLOY_WINDOW_MARKETS, halts = NO_HALTS) {
  return evaluateDeployWindow({ at: new Date(at), markets, venues: VENUES, halts });
}

describe('atc deploy-window: the decision', () => {
  it('closed inside market hours (a Wednesday, 10:00 New York), next window at the Globex break', () => {
    const window = windowAt('2026-12-16T15:00:00Z');
    expect(window).toMatchObject({ open: false, closesAt: null, nextOpenAt: '2026-12-16T22:00:00.000Z' });
    expect(window.markets).toEqual([
      { market: 'options', mode: 'live', session: 'open', halted: null, blocks: true },
      { market: 'futures', mode: 'paper', session: 'open', halted: null, blocks: true },
    ]);
    expect(describeDeployWindow(window)[0]).toBe(
      'deploy window CLOSED at 2026-12-16T15:00:00.000Z: options, futures trading (next window 2026-12-16T22:00:00.000Z)',
    );
  });

  it('closed before the options open while Globex trades overnight (07:00 New York)', () => {
    const window = windowAt('2026-12-16T12:00:00Z');
    expect(window.open).toBe(false);
    expect(window.markets.map((row) => [row.market, row.session, row.blocks])).toEqual([
      ['options', 'closed (before open)', false],
      ['futures', 'open', true],
    ]);
  });

  it('open outside market hours (the 17:00–18:00 Globex break, options closed), until Globex reopens', () => {
    const window = windowAt('2026-12-16T22:30:00Z');
    expect(window).toMatchObject({ open: true, closesAt: '2026-12-16T23:00:00.000Z', nextOpenAt: null });
    expect(window.markets.map((row) => row.session)).toEqual([
      'closed (after close)',
      'closed (daily break)',
    ]);
  });

  it('open on a weekend until Globex opens on Sunday 18:00 New York', () => {
    const window = windowAt('2026-12-19T15:00:00Z');
    expect(window).toMatchObject({ open: true, closesAt: '2026-12-20T23:00:00.000Z' });
    expect(window.markets.map((row) => row.session)).toEqual(['closed (weekend)', 'closed (weekend)']);
  });

  it('on a holiday: Christmas closes both; Thanksgiving closes options while Globex trades until 13:00', () => {
    const christmas = windowAt('2026-12-25T15:00:00Z');
    expect(christmas.open).toBe(true);
    expect(christmas.markets.map((row) => row.session)).toEqual([
      'closed (holiday: Christmas Day)',
      'closed (holiday: Christmas Day)',
    ]);
    const thanksgiving = windowAt('2026-11-26T15:00:00Z');
    expect(thanksgiving).toMatchObject({ open: false, nextOpenAt: '2026-11-26T18:00:00.000Z' });
    expect(thanksgiving.markets.find((row) => row.market === 'options')?.session).toBe(
      'closed (holiday: Thanksgiving Day)',
    );
    expect(windowAt('2026-11-26T15:00:00Z', ['options']).open).toBe(true);
  });

  it('crypto trades around the clock: gated only when named, and then no window within the week', () => {
    expect(windowAt('2026-12-19T15:00:00Z').markets.map((row) => row.market)).not.toContain('crypto');
    const window = windowAt('2026-12-19T15:00:00Z', ['crypto', 'options']);
    expect(window).toMatchObject({ open: false, nextOpenAt: null });
    expect(describeDeployWindow(window)[0]).toBe(
      'deploy window CLOSED at 2026-12-19T15:00:00.000Z: crypto trading',
    );
  });

  it('a halted market does not block; the kill switch opens the window for every market', () => {
    const optionsHalted = { ...NO_HALTS, markets: { ...NO_HALTS.markets, options: halt('deploy 1.4') } };
    const window = windowAt('2026-12-16T15:00:00Z', ['options'], optionsHalted);
    expect(window.open).toBe(true);
    expect(window.markets[0]).toMatchObject({ halted: 'options halted: deploy 1.4', blocks: false });
    // Futures is not halted, so it still blocks.
    expect(windowAt('2026-12-16T15:00:00Z', DEFAULT_DEPLOY_WINDOW_MARKETS, optionsHalted).open).toBe(false);
    const killed = { ...NO_HALTS, global: halt('release') };
    const all = windowAt('2026-12-16T15:00:00Z', ['crypto', 'options', 'futures'], killed);
    expect(all).toMatchObject({ open: true, closesAt: null });
    expect(describeDeployWindow(all)[1]).toBe('  crypto   simulation open, kill switch: release');
  });

  it('parses --markets: default options and futures, a list, an unknown or empty name refused', () => {
    expect(parseMarketList(undefined)).toEqual(['options', 'futures']);
    expect(parseMarketList('futures, crypto,futures')).toEqual(['futures', 'crypto']);
    expect(parseMarketList('options,stocks')).toMatch(/--markets takes .*"options,stocks"/);
    expect(parseMarketList('')).toMatch(/--markets takes/);
  });
});
