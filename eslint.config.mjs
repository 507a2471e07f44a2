// ESLint: typescript-eslint with type information, `no-console` in services, and import zones
// that enforce the dependency direction of design.md §10:
//   contracts ← platform ← trading, venues ← roles (heartbeat, workers, roundtable, dashboard) ← atc
// Roles never import each other; web imports only contracts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ROLES = ['heartbeat', 'workers', 'roundtable', 'dashboard'];
const LIBRARIES = ['contracts', 'platform', 'trading', 'venues'];

/** A no-restricted-imports rule that forbids the given @atc packages and relative reaches into their folders. */
function forbid(packages, why) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...packages.map((name) => ({
            regex: `^@atc/${name}(/.*)?$`,
            message: `${why} (@atc/${name} is off limits here).`,
          })),
          ...packages.map((name) => ({
            regex: `^(\\.\\./)+(lib/)?${name}/`,
            message: `${why} (reach ${name} through @atc/${name}, if at all).`,
          })),
        ],
      },
    ],
  };
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

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', '.atc/**', 'web/dist/**', 'charts/**'],
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
    files: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // Tests never sleep to let something happen (house style: fake time, never sleep). A helper that
  // implements a deadline disables the rule on that line with its reason.
  {
    files: ['**/*.test.ts', '**/testing/**/*.ts'],
    ignores: ['**/bench/**'],
    rules: { 'no-restricted-syntax': ['error', ...NO_SLEEPING] },
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
    rules: forbid(['trading', 'venues', ...ROLES, 'atc'], 'platform depends only on contracts'),
  },
  {
    files: ['services/lib/trading/**/*.ts'],
    rules: forbid(['venues', ...ROLES, 'atc'], 'trading depends on platform and contracts only'),
  },
  {
    files: ['services/lib/venues/**/*.ts'],
    rules: forbid(['trading', ...ROLES, 'atc'], 'venues depend on platform and contracts only'),
  },
  ...ROLES.map((role) => ({
    files: [`services/${role}/**/*.ts`],
    rules: forbid(
      [...otherRoles(role), 'atc'],
      'roles never import each other; share code through services/lib',
    ),
  })),
  {
    files: ['web/**/*.{ts,tsx}'],
    rules: forbid(
      ['platform', 'trading', 'venues', ...ROLES, 'atc'],
      'the web app imports only @atc/contracts',
    ),
  },
);
