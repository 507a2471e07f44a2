import { systemClock, type TradePayload } from '@atc/contracts';
import { processEnvironment, type Logger, type Pool } from '@atc/platform';
import { quoteEntries, type PriceQuote } from '@atc/trading';
import {
  createMarketVenues,
  createVenueClients,
  loadVenuesConfig,
  PostgresSignatureStore,
} from '@atc/venues';
import type { CliConfig } from '../cli.config';
import { localCompanyEnvironment } from '../local-state';

/**
 * Venue quotes for an operator decision (`proposal submit`, `proposal approve`): every instrument the
 * gates price these trades from is quoted at its venue — the running local company's simulator, or
 * the venues the environment names, found the way `atc reconcile` finds them — through the shared
 * `quoteEntries` (bounded concurrency, the clients' own timeouts and breakers). An instrument that
 * cannot be quoted gets one warning line on stderr and is priced from its mark.
 */
export async function quoteOperatorEntries(
  pool: Pool,
  trades: readonly TradePayload[],
  config: CliConfig,
  logger: Logger,
): Promise<PriceQuote[]> {
  if (trades.length === 0) return [];
  const venuesConfig = loadVenuesConfig(localCompanyEnvironment(config.home, processEnvironment()));
  // No logger for the clients: their retry lines would bury the one warning per unquoted instrument.
  const clients = createVenueClients({ config: venuesConfig });
  try {
    const venues = createMarketVenues(clients, { signatureStore: new PostgresSignatureStore(pool) });
    const marketData = {
      quote: (market: TradePayload['market'], instrument: string) => venues[market].getQuote(instrument),
    };
    // Stamped with the process clock, the one the gates measure the quotes' age against.
    return await quoteEntries({ marketData, now: systemClock.now(), logger }, trades);
  } finally {
    clients.shutdown();
  }
}
