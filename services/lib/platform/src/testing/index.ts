/**
 * @atc/platform/testing: the helpers other packages' tests use, by name.
 * @module
 */
export { createTestDatabase, testServerUrl, type TestDatabase } from './test-database';
export {
  childEnvironment,
  REPOSITORY_ROOT,
  type RunningProcess,
  runNode,
  runTypeScript,
} from './run-process';
export { bundleForTest } from './bundle-for-test';
export { captureLogger, type CapturedLogger, type LogRecord } from './captured-logger';
export {
  type FakeCronJob,
  type FakeDeployment,
  type FakeKubeApi,
  type KubeFault,
  type RecordedKubeRequest,
  startFakeKubeApi,
} from './fake-kube-api';
export { startTestTracing, type TestTracing } from './test-tracing';
