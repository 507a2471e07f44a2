export * from './step-queue.queries';
export * from './step-transitions.queries';
export { SettleBatcher } from './settle-batcher';
export * from './step-runner';
export * from './worker-runtime';
export * from './step-notifications';
export * from './worker-metrics';
