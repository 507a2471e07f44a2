/**
 * The heartbeat's venues, built once in main. Every market quotes through its venue (mark to market,
 * signals) and every market is reconciled: options and futures look orders up at the venue itself,
 * crypto through `atc.swap_signatures`, the durable store the crypto workers write before sending.
 * @module
 */
import type { Logger, Queryable } from '@atc/platform';
import type { MarketDataSource } from '@atc/trading';
import type { PhaseContext } from './phases/heartbeat-phase';
import {
  createMarketVenues,
  createVenueClients,
  PostgresSignatureStore,
  type VenueClients,
  type VenuesConfig,
} from '@atc/venues';
import type { Registry } from 'prom-client';
import { venueMarketData } from './market-data';
import type { BreakerStateName } from './venue-health.queries';

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
  /** Where the crypto workers recorded what they signed (the pool; each save commits on its own). */
  db: Queryable;
  registry?: Registry;
}): HeartbeatVenues {
  const clients = createVenueClients({
    config: options.config,
    logger: options.logger,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  const venues = createMarketVenues(clients, {
    signatureStore: new PostgresSignatureStore(options.db),
    logger: options.logger,
  });
  return {
    clients,
    marketData: venueMarketData(venues),
    reconcileVenues: venues,
    breakerStates: () =>
      Object.fromEntries(Object.entries(clients.breakers).map(([venue, breaker]) => [venue, breaker.state])),
    shutdown: () => clients.shutdown(),
  };
}
