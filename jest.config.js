// Three projects: unit tests (`*.test.ts`, no I/O beyond the process), integration tests
// (`*.int.test.ts`, a real PostgreSQL: one server per run, a template database built from
// migrations/ once, a clone per test file — see services/lib/platform/src/testing), and the web app's
// component tests (`web/src/**/*.test.{ts,tsx}`, jsdom, @testing-library/react).
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
// ESM-only packages jest (CommonJS) cannot load as they are, so they are transpiled: jose (the operator
// API's JWT verification) and @kubernetes/client-node with its ESM dependencies (the kill switch's
// cluster half; loaded lazily at run time, see services/lib/platform/src/kubernetes/kube.client.ts).
const ESM_PACKAGES = [
  'jose',
  '@kubernetes/client-node',
  'openid-client',
  'oauth4webapi',
  'jsonpath-plus',
  'rfc4648',
];
const esmPackages = ESM_PACKAGES.join('|');
const transform = {
  '^.+\\.tsx?$': ['ts-jest', tsJest],
  [`/node_modules/(${esmPackages})/.+\\.js$`]: [
    'ts-jest',
    { tsconfig: { ...tsJest.tsconfig, allowJs: true } },
  ],
};
const transformIgnorePatterns = [`/node_modules/(?!(${esmPackages})/)`];
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
    {
      displayName: 'web',
      testEnvironment: 'jsdom',
      transform: {
        '^.+\\.tsx?$': ['ts-jest', { tsconfig: { ...tsJest.tsconfig, jsx: 'react-jsx' } }],
      },
      testPathIgnorePatterns,
      testMatch: ['<rootDir>/web/src/**/*.test.{ts,tsx}'],
      setupFiles: ['<rootDir>/web/src/testing/jsdom-setup.ts'],
    },
  ],
};
