import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

// Proves the lint rules that guard the architecture actually fire: throwaway files are written
// into services, linted in one run with the project's real ESLint config, and removed.
const run = promisify(execFile);
const root = path.resolve(__dirname, '..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

const fixtures = {
  consoleInService: ['services/dashboard/src', "export function f(): void {\n  console.log('hi');\n}\n"],
  roleImportsRole: [
    'services/workers/src',
    "import { runDashboard } from '@atc/dashboard';\nexport const start = runDashboard;\n",
  ],
  platformImportsTrading: ['services/lib/platform/src', "export * from '@atc/trading';\n"],
  exportAll: ['services/lib/trading/src', "export * from './content-hash';\n"],
  exportAllInTesting: ['services/lib/queue/src/testing', "export * from './step-changes.fixture';\n"],
  sleepInTestHelper: [
    'services/lib/queue/src/testing',
    'export const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 200));\n',
  ],
  queueImportsTrading: [
    'services/lib/queue/src',
    "import { contentHash } from '@atc/trading';\nexport const hash = contentHash;\n",
  ],
  floatingPromise: [
    'services/lib/platform/src',
    'async function work(): Promise<void> {}\nexport function f(): void {\n  work();\n}\n',
  ],
} as const;
type FixtureName = keyof typeof fixtures;

const results = new Map<FixtureName, LintMessage[]>();

beforeAll(async () => {
  const files = new Map<string, FixtureName>();
  for (const [name, [directory, source]] of Object.entries(fixtures) as [
    FixtureName,
    readonly [string, string],
  ][]) {
    const file = path.join(root, directory, `lint-fixture-${name}-${process.pid}.ts`);
    writeFileSync(file, source);
    files.set(file, name);
  }
  try {
    const eslint = path.join(root, 'node_modules/eslint/bin/eslint.js');
    const output = await run(process.execPath, [eslint, '-f', 'json', ...files.keys()], {
      cwd: root,
      maxBuffer: 16 << 20,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '[]' }));
    for (const report of JSON.parse(output.stdout) as { filePath: string; messages: LintMessage[] }[]) {
      results.set(files.get(report.filePath)!, report.messages);
    }
  } finally {
    for (const file of files.keys()) rmSync(file, { force: true });
  }
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
