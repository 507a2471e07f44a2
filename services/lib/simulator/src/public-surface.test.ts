import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as publicSurface from './index';

// The simulator's public surface is what `atc sim`, `atc up` and other packages' tests use, exported
// by name (issue 14); the routes, books, ledger and clock stay private to the package.
describe('@atc/simulator public surface', () => {
  it.each(['index.ts', 'testing/index.ts'])('%s exports by name only', (file) => {
    const source = readFileSync(path.join(__dirname, file), 'utf8');
    expect(source).not.toMatch(/export\s+(type\s+)?\*/);
  });

  it('exports exactly the values its users need', () => {
    expect(Object.keys(publicSurface).sort()).toEqual([
      'DEFAULT_SIM_START',
      'INSTRUMENTS',
      'SOL_MINT',
      'USDC_MINT',
      'createTranscriptRecorder',
      'loadSimulatorConfig',
      'occSymbol',
      'simulatorOptionsFromConfig',
      'startSimulator',
      'transcriptRequestHash',
    ]);
  });
});
