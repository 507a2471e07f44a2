export * from './test-database';
export * from './run-process';
