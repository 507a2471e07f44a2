/**
 * One `Venue` per market from the clients a role's `main.ts` built: crypto on Jupiter + Solana,
 * options on Tradier, futures on ProjectX (quotes through the Nebula price relay). The crypto venue
 * needs a durable `SignatureStore` — the caller's PostgreSQL-backed one in production.
 * @module
 */
import type { Clock } from '@atc/contracts';
import type { Logger, Sleep } from '@atc/platform';
import { JupiterSolanaCryptoVenue, type JupiterSolanaCryptoVenueOptions } from './crypto.venue';
import { ProjectXFuturesVenue } from './futures.venue';
import { TradierOptionsVenue } from './options.venue';
import type { SignatureStore } from './signature-store';
import type { Venue, VenueMarket } from './venue';
import type { VenueClients } from './venue-clients';

export interface MarketVenuesOptions {
  readonly signatureStore: SignatureStore;
  readonly logger?: Logger;
  /** Injected in tests so confirmation polling drives the simulator instead of waiting. */
  readonly sleep?: Sleep;
  /**
   * The venues' "now" (the futures venue's order-search window, the crypto venue's signing stamp):
   * the system clock by default; the simulator's clock when a test runs it at another instant.
   */
  readonly clock?: Clock;
  /** Crypto settings beyond the clients and the store (quote mint, decimals, slippage, polling). */
  readonly crypto?: Omit<
    JupiterSolanaCryptoVenueOptions,
    'jupiter' | 'solana' | 'wallet' | 'store' | 'logger' | 'sleep'
  >;
}

export type MarketVenues = Readonly<Record<VenueMarket, Venue>>;

export function createMarketVenues(clients: VenueClients, options: MarketVenuesOptions): MarketVenues {
  const clock = options.clock;
  return {
    crypto: new JupiterSolanaCryptoVenue({
      basePriorityFeeLamports: clients.jupiterPriorityFeeLamports,
      ...options.crypto,
      jupiter: clients.jupiter,
      solana: clients.solana,
      // Read when the venue first signs or reads balances, not when it is built.
      get wallet() {
        return clients.wallet;
      },
      store: options.signatureStore,
      ...(options.logger ? { logger: options.logger.child({ market: 'crypto' }) } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(clock ? { now: () => clock.now() } : {}),
    }),
    options: new TradierOptionsVenue(clients.tradier),
    futures: new ProjectXFuturesVenue({
      client: clients.projectx,
      prices: clients.nebula,
      ...(clock ? { now: () => clock.now().getTime() } : {}),
    }),
  };
}
