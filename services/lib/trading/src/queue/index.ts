export * from './step-queue.queries';
export * from './mission-rollup.queries';
export * from './step-transitions';
export * from './step-runner';
