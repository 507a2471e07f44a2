import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

// Proves the lint zone that keeps the venue simulator out of production code (issue 14): outside
// services/atc only test code (`*.test.ts`, `testing/`) may import @atc/simulator, and the simulator
// itself reaches the venue clients only from its contract-test harness. Throwaway files are written
// into services, linted in one run with the project's real ESLint config, and removed.
const run = promisify(execFile);
const root = path.resolve(__dirname, '..');

const IMPORT_SIMULATOR =
  "import { startSimulator } from '@atc/simulator';\nexport const start = startSimulator;\n";
const IMPORT_VENUES =
  "import { loadVenuesConfig } from '@atc/venues';\nexport const load = loadVenuesConfig;\n";

/** name → [directory, file suffix, source] */
const fixtures = {
  workersProduction: ['services/workers/src', '.ts', IMPORT_SIMULATOR],
  heartbeatProduction: ['services/heartbeat/src', '.ts', IMPORT_SIMULATOR],
  tradingProduction: ['services/lib/trading/src', '.ts', IMPORT_SIMULATOR],
  venuesProduction: ['services/lib/venues/src', '.ts', IMPORT_SIMULATOR],
  platformTesting: ['services/lib/platform/src/testing', '.ts', IMPORT_SIMULATOR],
  simulatorProductionImportsVenues: ['services/lib/simulator/src', '.ts', IMPORT_VENUES],
  heartbeatTest: ['services/heartbeat/src', '.test.ts', IMPORT_SIMULATOR],
  workersTestingHelper: ['services/workers/src/testing', '.ts', IMPORT_SIMULATOR],
  venuesTest: ['services/lib/venues/src', '.test.ts', IMPORT_SIMULATOR],
  atcCommand: ['services/atc/src', '.ts', IMPORT_SIMULATOR],
  simulatorHarnessImportsVenues: ['services/lib/simulator/src/testing', '.ts', IMPORT_VENUES],
} as const;
type FixtureName = keyof typeof fixtures;

const results = new Map<FixtureName, { ruleId: string | null; message: string }[]>();

beforeAll(async () => {
  const files = new Map<string, FixtureName>();
  for (const [name, [directory, suffix, source]] of Object.entries(fixtures) as [
    FixtureName,
    readonly [string, string, string],
  ][]) {
    const file = path.join(root, directory, `lint-fixture-${name}-${process.pid}${suffix}`);
    writeFileSync(file, source);
    files.set(file, name);
  }
  try {
    const eslint = path.join(root, 'node_modules/eslint/bin/eslint.js');
    const output = await run(process.execPath, [eslint, '-f', 'json', ...files.keys()], {
      cwd: root,
      maxBuffer: 16 << 20,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '[]' }));
    for (const report of JSON.parse(output.stdout) as {
      filePath: string;
      messages: { ruleId: string | null; message: string }[];
    }[]) {
      results.set(files.get(report.filePath)!, report.messages);
    }
  } finally {
    for (const file of files.keys()) rmSync(file, { force: true });
  }
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
