/**
 * The venue quotes of the operator API: `POST /api/proposals` and an approval price each entry from
 * the venue now, as `atc proposal submit|approve` do — the same `quoteEntries` of @atc/trading, over
 * venue clients built once for the process from the environment (TRADING_MODE, *_BASE_URL; paper by
 * default: the simulator) with their own timeouts and breakers. Quoting signs nothing.
 * @module
 */
import type { Clock, TradePayload } from '@atc/contracts';
import type { Logger, Pool } from '@atc/platform';
import { quoteEntries } from '@atc/trading';
import {
  createMarketVenues,
  createVenueClients,
  loadVenuesConfig,
  PostgresSignatureStore,
} from '@atc/venues';
import type { ApiServices } from './api/api-route';

export interface VenueQuoteService {
  readonly quoteEntries: NonNullable<ApiServices['quoteEntries']>;
  shutdown(): void;
}

export function createVenueQuoteService(options: {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly logger: Logger;
}): VenueQuoteService {
  const clients = createVenueClients({ config: loadVenuesConfig() });
  const venues = createMarketVenues(clients, { signatureStore: new PostgresSignatureStore(options.pool) });
  const marketData = {
    quote: (market: TradePayload['market'], instrument: string) => venues[market].getQuote(instrument),
  };
  return {
    // The routes pass the trades of a proposal the intake's schema accepted.
    quoteEntries: (trades) =>
      quoteEntries(
        { marketData, now: options.clock.now(), logger: options.logger },
        trades as readonly TradePayload[],
      ),
    shutdown: () => clients.shutdown(),
  };
}
