export * from './test-prices';
export * from './proposal.fixtures';
export * from './queued-steps.fixture';
export { tripLossLatch } from '../halts.queries';
