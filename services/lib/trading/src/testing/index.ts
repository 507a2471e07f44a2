export * from './test-prices';
export * from './proposal.fixtures';
export * from '../queue/testing/queued-steps.fixture';
export * from '../queue/testing/step-changes.fixture';
export * from '../queue/testing/database-changes.fixture';
export { tripLossLatch } from '../halts.queries';
