export * from './test-database';
export * from './run-process';
export * from './bundle-for-test';
