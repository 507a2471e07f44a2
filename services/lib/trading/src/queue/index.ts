export * from './step-queue.queries';
export * from './step-transitions';
export * from './step-runner';
