export * from './proposal.fixtures';
export * from '../queue/testing/queued-steps.fixture';
