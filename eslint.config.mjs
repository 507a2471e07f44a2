// ESLint: typescript-eslint with type information, `no-console` in services, and import zones
// that enforce the dependency direction of design.md §10:
//   contracts ← platform ← queue ← trading, venues ← roles (heartbeat, workers, roundtable, dashboard) ← atc
// Roles never import each other; web imports only contracts. The venue simulator (@atc/simulator,
// on contracts and platform) is for `atc sim`, `atc up` and tests: outside services/atc only test
// code (`*.test.ts`, `testing/`) may import it.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ROLES = ['heartbeat', 'workers', 'roundtable', 'dashboard'];
const LIBRARIES = ['contracts', 'platform', 'queue', 'trading', 'venues', 'simulator'];
const NOTHING = { packages: [], why: '' };
const SIMULATOR_FOR_TESTS = {
  packages: ['simulator'],
  why: 'the venue simulator is for `atc sim`, `atc up` and tests only (import it from *.test.ts or testing/)',
};

/** no-restricted-imports patterns forbidding the given @atc packages and relative reaches into their folders. */
function patterns(packages, why) {
  return [
    ...packages.map((name) => ({
      regex: `^@atc/${name}(/.*)?$`,
      message: `${why} (@atc/${name} is off limits here).`,
    })),
    ...packages.map((name) => ({
      regex: `^(\\.\\./)+(lib/)?${name}/`,
      message: `${why} (reach ${name} through @atc/${name}, if at all).`,
    })),
  ];
}

/** A no-restricted-imports rule that forbids the given @atc packages and relative reaches into their folders. */
function forbid(packages, why, testOnly = NOTHING) {
  return {
    'no-restricted-imports': [
      'error',
      { patterns: [...patterns(packages, why), ...patterns(testOnly.packages, testOnly.why)] },
    ],
  };
}

/**
 * The zone of the package in `dir`: nothing in it may import `packages`; its production code may not
 * import `testOnly.packages` either, which its tests and their `testing/` helpers may.
 */
function zone(dir, packages, why, testOnly = SIMULATOR_FOR_TESTS) {
  return [
    { files: [`${dir}/**/*.ts`], rules: forbid(packages, why, testOnly) },
    {
      files: [`${dir}/**/*.test.ts`, `${dir}/**/testing/**/*.ts`],
      rules: forbid(packages, why),
    },
  ];
}

const otherRoles = (role) => ROLES.filter((r) => r !== role);

const INSTEAD_OF_SLEEPING =
  'await the event itself (DatabaseChanges.until, a promise or emitter of the code under test, ' +
  "captureLogger().logged, a child's output line) or control time (an injected Clock, jest fake timers)";
/** no-restricted-syntax selectors for a test or test helper that sleeps or polls on a timer. */
const NO_SLEEPING = [
  {
    selector: 'CallExpression[callee.name=/^(setTimeout|setInterval)$/]',
    message: `Tests do not sleep or poll on a timer: ${INSTEAD_OF_SLEEPING}.`,
  },
  {
    selector: "CallExpression[callee.object.name!='jest'][callee.property.name=/^(setTimeout|setInterval)$/]",
    message: `Tests do not sleep or poll on a timer: ${INSTEAD_OF_SLEEPING}.`,
  },
  {
    selector:
      "ImportDeclaration[source.value=/^(node:)?timers\\u002Fpromises$/] > :matches(ImportSpecifier[imported.name!='setImmediate'], ImportDefaultSpecifier, ImportNamespaceSpecifier)",
    message: `Tests do not sleep (timers/promises): ${INSTEAD_OF_SLEEPING}.`,
  },
];

// A package's public surface is a list of names (issue 14): `export *` would publish every export of
// every module it reaches, so what is private could never be told from what is public.
const NAMED_EXPORTS_ONLY = [
  {
    selector: 'ExportAllDeclaration',
    message:
      'Export by name (`export { a, type B } from …`): a package publishes what others use, nothing more.',
  },
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', '.atc/**', 'web/dist/**', '.tools/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['services/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['services/**/*.ts', 'web/**/*.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', ...NAMED_EXPORTS_ONLY] },
  },
  // The web app runs in the browser, under React's rules of hooks.
  {
    files: ['web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.flat.recommended.rules, 'no-console': 'error' },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // Tests never sleep to let something happen (house style: fake time, never sleep). A helper that
  // implements a deadline disables the rule on that line with its reason.
  {
    files: ['**/*.test.ts', '**/*.test.tsx', '**/testing/**/*.ts'],
    ignores: ['**/bench/**'],
    // Both lists: a later no-restricted-syntax replaces an earlier one for the same file.
    rules: { 'no-restricted-syntax': ['error', ...NAMED_EXPORTS_ONLY, ...NO_SLEEPING] },
  },
  // Dependency direction.
  {
    files: ['services/lib/contracts/**/*.ts'],
    rules: forbid(
      [...LIBRARIES.filter((l) => l !== 'contracts'), ...ROLES, 'atc'],
      'contracts depend on nothing of ours',
    ),
  },
  {
    files: ['services/lib/platform/**/*.ts'],
    rules: forbid(
      ['queue', 'trading', 'venues', 'simulator', ...ROLES, 'atc'],
      'platform depends only on contracts',
    ),
  },
  // The step queue's tests build their steps with the trading fixtures.
  ...zone(
    'services/lib/queue',
    ['venues', ...ROLES, 'atc'],
    'the queue depends on platform and contracts only',
    {
      packages: ['trading', 'simulator'],
      why: 'the queue depends on platform and contracts only (its tests may use the trading fixtures)',
    },
  ),
  ...zone(
    'services/lib/trading',
    ['venues', ...ROLES, 'atc'],
    'trading depends on platform and contracts only',
  ),
  ...zone(
    'services/lib/venues',
    ['queue', 'trading', ...ROLES, 'atc'],
    'venues depend on platform and contracts only',
  ),
  // The contract-test harness (simulator/src/testing) drives the real venue clients.
  ...zone(
    'services/lib/simulator',
    ['queue', 'trading', ...ROLES, 'atc'],
    'the simulator depends on platform and contracts only',
    { packages: ['venues'], why: 'only the contract-test harness of the simulator uses the venue clients' },
  ),
  ...ROLES.flatMap((role) =>
    zone(
      `services/${role}`,
      [...otherRoles(role), 'atc'],
      'roles never import each other; share code through services/lib',
    ),
  ),
  {
    files: ['web/**/*.{ts,tsx}'],
    rules: forbid(
      ['platform', 'queue', 'trading', 'venues', 'simulator', ...ROLES, 'atc'],
      'the web app imports only @atc/contracts',
    ),
  },
);
