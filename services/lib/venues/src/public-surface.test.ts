import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as publicSurface from './index';
import * as testingSurface from './testing/index';

// The library's public surface is what other packages use, exported by name (issue 14): a new export
// is a decision, made here, not a side effect of `export *`.
describe('@atc/venues public surface', () => {
  it.each(['index.ts', 'testing/index.ts'])('%s exports by name only', (file) => {
    const source = readFileSync(path.join(__dirname, file), 'utf8');
    expect(source).not.toMatch(/export\s+(type\s+)?\*/);
  });

  it('exports exactly the values other packages use', () => {
    expect(Object.keys(publicSurface).sort()).toEqual([
      'AnthropicClient',
      'PostgresSignatureStore',
      'VenueRejectedError',
      'VenueUnavailableError',
      'createMarketVenues',
      'createVenueClients',
      'isAnthropicBusinessRejection',
      'keypairFromSecret',
      'loadOrCreateWalletFile',
      'loadVenuesConfig',
      'simulatorBaseUrls',
      'venuesEnvironment',
    ]);
    expect(Object.keys(testingSurface).sort()).toEqual(['TestVenue']);
  });
});
