import { lintFixtures, type LintMessage } from './testing/lint-fixtures';

// Proves the lint zone that keeps the venue simulator out of production code (issue 14): outside
// services/atc only test code (`*.test.ts`, `testing/`) may import @atc/simulator, and the simulator
// itself reaches the venue clients only from its contract-test harness.
const IMPORT_SIMULATOR =
  "import { startSimulator } from '@atc/simulator';\nexport const start = startSimulator;\n";
const IMPORT_VENUES =
  "import { loadVenuesConfig } from '@atc/venues';\nexport const load = loadVenuesConfig;\n";

const fixtures = {
  workersProduction: { directory: 'services/workers/src', suffix: '.ts', source: IMPORT_SIMULATOR },
  heartbeatProduction: { directory: 'services/heartbeat/src', suffix: '.ts', source: IMPORT_SIMULATOR },
  tradingProduction: { directory: 'services/lib/trading/src', suffix: '.ts', source: IMPORT_SIMULATOR },
  venuesProduction: { directory: 'services/lib/venues/src', suffix: '.ts', source: IMPORT_SIMULATOR },
  platformTesting: {
    directory: 'services/lib/platform/src/testing',
    suffix: '.ts',
    source: IMPORT_SIMULATOR,
  },
  simulatorProductionImportsVenues: {
    directory: 'services/lib/simulator/src',
    suffix: '.ts',
    source: IMPORT_VENUES,
  },
  heartbeatTest: { directory: 'services/heartbeat/src', suffix: '.test.ts', source: IMPORT_SIMULATOR },
  workersTestingHelper: {
    directory: 'services/workers/src/testing',
    suffix: '.ts',
    source: IMPORT_SIMULATOR,
  },
  venuesTest: { directory: 'services/lib/venues/src', suffix: '.test.ts', source: IMPORT_SIMULATOR },
  atcCommand: { directory: 'services/atc/src', suffix: '.ts', source: IMPORT_SIMULATOR },
  simulatorHarnessImportsVenues: {
    directory: 'services/lib/simulator/src/testing',
    suffix: '.ts',
    source: IMPORT_VENUES,
  },
} as const;
type FixtureName = keyof typeof fixtures;

let results = new Map<FixtureName, LintMessage[]>();

beforeAll(async () => {
  results = await lintFixtures(fixtures);
}, 60_000);

const restrictions = (name: FixtureName) => {
  expect(results.has(name)).toBe(true);
  return (results.get(name) ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('the simulator lint zone', () => {
  it.each<FixtureName>(['workersProduction', 'heartbeatProduction', 'tradingProduction', 'venuesProduction'])(
    'refuses @atc/simulator in production code (%s)',
    (name) => {
      expect(restrictions(name).join('\n')).toMatch(
        /venue simulator is for `atc sim`, `atc up` and tests only/,
      );
    },
  );

  it('refuses @atc/simulator in platform, even in its testing helpers (platform sits below it)', () => {
    expect(restrictions('platformTesting').join('\n')).toMatch(/platform depends only on contracts/);
  });

  it("refuses the venue clients in the simulator's production code", () => {
    expect(restrictions('simulatorProductionImportsVenues').join('\n')).toMatch(/@atc\/venues is off limits/);
  });

  it.each<FixtureName>([
    'heartbeatTest',
    'workersTestingHelper',
    'venuesTest',
    'atcCommand',
    'simulatorHarnessImportsVenues',
  ])('allows it in test code and in the atc CLI (%s)', (name) => {
    expect(restrictions(name)).toEqual([]);
  });
});
