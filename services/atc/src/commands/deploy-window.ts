/**
 * The deployment window: a deploy may start when no gated market is trading. A market is gated
 * when it is asked for (`--markets`; by default every market with hours, crypto excluded) and not
 * halted: the global kill switch or the market's own halt stops its new orders, so an operator can
 * open a window inside market hours on purpose (docs/operations/deploy.md). Pure: the sessions come
 * from the market calendar of @atc/contracts, the halts and venue modes are passed in.
 * @module
 */
import type { z } from 'zod';
import {
  describeSession,
  marketSession,
  markets as ALL_MARKETS,
  type HaltsState,
  type Market,
  type MarketSession,
  type policySchemas,
} from '@atc/contracts';

/** The venues policy: each market's mode (simulation, paper, live). */
type VenuesPolicy = z.infer<typeof policySchemas.venues>;
type VenueMode = VenuesPolicy[Market];

/**
 * Crypto trades around the clock: gating on it would block every deploy, so it is gated only when
 * `--markets` names it (a deploy then waits for a halt of crypto, or the global kill switch).
 */
export const DEFAULT_DEPLOY_WINDOW_MARKETS: readonly Market[] = ['options', 'futures'];

export interface DeployWindowMarket {
  readonly market: Market;
  readonly mode: VenueMode;
  readonly session: string;
  readonly halted: string | null;
  /** Open and not halted: a deploy now would interrupt its trading. */
  readonly blocks: boolean;
}

export interface DeployWindow {
  readonly at: string;
  /** True when no gated market is trading: a deploy may start. */
  readonly open: boolean;
  readonly markets: readonly DeployWindowMarket[];
  /** When open: the instant (checked each quarter hour) a gated market opens again; else null. */
  readonly closesAt: string | null;
  /** When closed: the first quarter hour at which every gated market is closed, within a week. */
  readonly nextOpenAt: string | null;
}

export interface DeployWindowInput {
  readonly at: Date;
  readonly markets: readonly Market[];
  readonly venues: VenuesPolicy;
  readonly halts: HaltsState;
}

const QUARTER_HOUR_MS = 15 * 60_000;
const LOOKAHEAD_MS = 8 * 86_400_000;

function haltOf(halts: HaltsState, market: Market): string | null {
  if (halts.global) return `kill switch: ${halts.global.reason}`;
  const halt = halts.markets[market];
  return halt ? `${market} halted: ${halt.reason}` : null;
}

function describe(session: MarketSession): string {
  return session.open ? 'open' : describeSession(session);
}

/** The first quarter hour after `from` (exclusive) at which `trading(instant)` equals `wanted`. */
function nextChange(from: Date, trading: (at: Date) => boolean, wanted: boolean): string | null {
  const first = Math.floor(from.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS + QUARTER_HOUR_MS;
  for (let ms = first; ms <= from.getTime() + LOOKAHEAD_MS; ms += QUARTER_HOUR_MS) {
    if (trading(new Date(ms)) === wanted) return new Date(ms).toISOString();
  }
  return null;
}

/** Whether a deploy may start at `input.at`, each gated market's session and when that changes. */
export function evaluateDeployWindow(input: DeployWindowInput): DeployWindow {
  const gated = ALL_MARKETS.filter((market) => input.markets.includes(market));
  const rows = gated.map((market) => {
    const session = marketSession(market, input.at);
    const halted = haltOf(input.halts, market);
    return {
      market,
      mode: input.venues[market],
      session: describe(session),
      halted,
      blocks: session.open && halted === null,
    };
  });
  const live = rows.filter((row) => row.halted === null).map((row) => row.market);
  const anyTrading = (at: Date) => live.some((market) => marketSession(market, at).open);
  const open = rows.every((row) => !row.blocks);
  return {
    at: input.at.toISOString(),
    open,
    markets: rows,
    closesAt: open ? nextChange(input.at, anyTrading, true) : null,
    nextOpenAt: open ? null : nextChange(input.at, anyTrading, false),
  };
}

/** The lines `atc deploy-window` prints: the verdict first, then each market and why. */
export function describeDeployWindow(window: DeployWindow): string[] {
  const verdict = window.open
    ? `deploy window OPEN at ${window.at}: no gated market is trading` +
      (window.closesAt ? ` (until ${window.closesAt})` : '')
    : `deploy window CLOSED at ${window.at}: ${window.markets
        .filter((row) => row.blocks)
        .map((row) => row.market)
        .join(', ')} trading` + (window.nextOpenAt ? ` (next window ${window.nextOpenAt})` : '');
  const rows = window.markets.map((row) => {
    const state = row.halted ? `${row.session}, ${row.halted}` : row.session;
    return `  ${row.market.padEnd(8)} ${row.mode.padEnd(10)} ${state}${row.blocks ? ' — blocks' : ''}`;
  });
  return [verdict, ...rows];
}

/** `--markets options,futures` → the markets, each checked; an empty or unknown name is refused. */
export function parseMarketList(value: string | undefined): Market[] | string {
  if (value === undefined) return [...DEFAULT_DEPLOY_WINDOW_MARKETS];
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(ALL_MARKETS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0)
    return `--markets takes a comma-separated list of ${ALL_MARKETS.join(', ')}; got ${JSON.stringify(value)}`;
  return [...new Set(names as Market[])];
}
