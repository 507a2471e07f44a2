// The public surface of @atc/venues: what the roles and the CLI use, by name. Everything else (the
// individual clients, wire parsing, swap sizing, signing) is private to the library; test doubles
// are in `@atc/venues/testing`, and the venue simulator is its own package, `@atc/simulator`.
export {
  loadVenuesConfig,
  simulatorBaseUrls,
  venuesEnvironment,
  type VenueName,
  type VenuesConfig,
} from './venues.config';
export { createVenueClients, type VenueClients } from './venue-clients';
export {
  AnthropicClient,
  isAnthropicBusinessRejection,
  type AnthropicClientOptions,
  type MessageParams,
} from './anthropic.client';
export type { TradierOption } from './tradier.client';
export { createMarketVenues, type MarketVenues } from './market-venues';
export { VenueRejectedError, VenueUnavailableError } from './venue';
export { PostgresSignatureStore } from './postgres-signature-store';
export { keypairFromSecret } from './solana-signer';
export { loadOrCreateWalletFile } from './paper-wallet';
