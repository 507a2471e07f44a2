import { lintFixtures, type LintMessage } from './testing/lint-fixtures';

// Proves the lint rules that guard the architecture actually fire: throwaway files are written
// into services, linted in one run with the project's real ESLint config, and removed.
const fixtures = {
  consoleInService: {
    directory: 'services/dashboard/src',
    source: "export function f(): void {\n  console.log('hi');\n}\n",
  },
  roleImportsRole: {
    directory: 'services/workers/src',
    source: "import { runDashboard } from '@atc/dashboard';\nexport const start = runDashboard;\n",
  },
  platformImportsTrading: {
    directory: 'services/lib/platform/src',
    source: "export * from '@atc/trading';\n",
  },
  exportAll: { directory: 'services/lib/trading/src', source: "export * from './content-hash';\n" },
  exportAllInTesting: {
    directory: 'services/lib/queue/src/testing',
    source: "export * from './step-changes.fixture';\n",
  },
  sleepInTestHelper: {
    directory: 'services/lib/queue/src/testing',
    source: 'export const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 200));\n',
  },
  queueImportsTrading: {
    directory: 'services/lib/queue/src',
    source: "import { contentHash } from '@atc/trading';\nexport const hash = contentHash;\n",
  },
  floatingPromise: {
    directory: 'services/lib/platform/src',
    source: 'async function work(): Promise<void> {}\nexport function f(): void {\n  work();\n}\n',
  },
} as const;
type FixtureName = keyof typeof fixtures;

let results = new Map<FixtureName, LintMessage[]>();

beforeAll(async () => {
  results = await lintFixtures(fixtures);
}, 60_000);

const rulesOf = (name: FixtureName) => (results.get(name) ?? []).map((m) => m.ruleId);

describe('architecture lint rules', () => {
  it('no-console fires on console.log in a service', () => {
    expect(rulesOf('consoleInService')).toContain('no-console');
  });

  it('a role importing another role is refused', () => {
    const messages = results.get('roleImportsRole') ?? [];
    expect(messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
    expect(messages.map((m) => m.message).join('\n')).toMatch(/roles never import each other/);
  });

  it('platform importing trading is refused (dependency direction)', () => {
    expect(rulesOf('platformImportsTrading')).toContain('no-restricted-imports');
  });

  it('a library re-exporting with export * is refused, in its testing/ surface too', () => {
    for (const name of ['exportAll', 'exportAllInTesting'] as const) {
      const messages = results.get(name) ?? [];
      expect(messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
      expect(messages.map((m) => m.message).join('\n')).toMatch(/Export by name/);
    }
  });

  it('a test helper that sleeps on a timer is refused', () => {
    const messages = results.get('sleepInTestHelper') ?? [];
    expect(messages.map((m) => m.message).join('\n')).toMatch(/Tests do not sleep/);
  });

  it('the queue importing trading in production code is refused', () => {
    const messages = results.get('queueImportsTrading') ?? [];
    expect(messages.map((m) => m.message).join('\n')).toMatch(
      /the queue depends on platform and contracts only/,
    );
  });

  it('a floating promise is refused', () => {
    expect(rulesOf('floatingPromise')).toContain('@typescript-eslint/no-floating-promises');
  });
});
