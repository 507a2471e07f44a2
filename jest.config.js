// Two projects: unit tests (`*.test.ts`, no I/O beyond the process) and integration tests
// (`*.int.test.ts`, a real PostgreSQL: one server per run, a template database built from
// migrations/ once, a clone per test file — see services/lib/platform/src/testing).
/** @type {import('ts-jest').TsJestTransformerOptions} */
const tsJest = {
  // Type checking is `npm run typecheck`; with isolatedModules tests only transpile, which keeps them fast.
  tsconfig: {
    module: 'commonjs',
    moduleResolution: 'node10',
    target: 'ES2022',
    esModuleInterop: true,
    isolatedModules: true,
  },
};
const transform = {
  '^.+\\.tsx?$': ['ts-jest', tsJest],
  // jose (the operator API's JWT verification) ships ESM only; jest runs CommonJS, so it is transpiled.
  '/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { ...tsJest.tsconfig, allowJs: true } }],
};
const transformIgnorePatterns = ['/node_modules/(?!jose/)'];
const testPathIgnorePatterns = ['/node_modules/', '/dist/'];

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests start processes and PostgreSQL work; a project-level testTimeout is ignored.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testPathIgnorePatterns: [...testPathIgnorePatterns, '\\.int\\.test\\.ts$'],
      // charts/atc/tests render the chart with helm: no database, so they are unit tests.
      testMatch: [
        '<rootDir>/services/**/*.test.ts',
        '<rootDir>/scripts/**/*.test.ts',
        '<rootDir>/charts/*/tests/**/*.test.ts',
      ],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testPathIgnorePatterns,
      testMatch: [
        '<rootDir>/services/**/*.int.test.ts',
        '<rootDir>/scripts/**/*.int.test.ts',
        '<rootDir>/charts/*/tests/**/*.int.test.ts',
      ],
      globalSetup: '<rootDir>/services/lib/platform/src/testing/jest-global-setup.ts',
      globalTeardown: '<rootDir>/services/lib/platform/src/testing/jest-global-teardown.ts',
    },
  ],
};
