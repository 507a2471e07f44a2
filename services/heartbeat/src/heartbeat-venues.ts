import type { Logger } from '@atc/platform';
import type { MarketDataSource, PhaseContext } from '@atc/trading';
import {
  createMarketVenues,
  createVenueClients,
  InMemorySignatureStore,
  type VenueClients,
  type VenuesConfig,
} from '@atc/venues';
import type { Registry } from 'prom-client';
import { venueMarketData } from './market-data';
import type { BreakerStateName } from './venue-health.queries';

/**
 * The heartbeat's venues, built once in main. Every market quotes through its venue (mark to market,
 * signals). Reconciliation gets options and futures, which look orders up at the venue itself; crypto
 * is left out of reconciliation here: its lookups answer from the durable signature store the crypto
 * workers write, and an empty in-memory store would answer "absent" for an order that was sent.
 */
export interface HeartbeatVenues {
  readonly clients: VenueClients;
  readonly marketData: MarketDataSource;
  readonly reconcileVenues: PhaseContext['venues'];
  breakerStates(): Record<string, BreakerStateName>;
  shutdown(): void;
}

export function createHeartbeatVenues(options: {
  config: VenuesConfig;
  logger: Logger;
  registry?: Registry;
}): HeartbeatVenues {
  const clients = createVenueClients({
    config: options.config,
    logger: options.logger,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  // Quotes never touch the signature store; only submissions and lookups do.
  const venues = createMarketVenues(clients, {
    signatureStore: new InMemorySignatureStore(),
    logger: options.logger,
  });
  return {
    clients,
    marketData: venueMarketData(venues),
    reconcileVenues: { options: venues.options, futures: venues.futures },
    breakerStates: () =>
      Object.fromEntries(Object.entries(clients.breakers).map(([venue, breaker]) => [venue, breaker.state])),
    shutdown: () => clients.shutdown(),
  };
}
