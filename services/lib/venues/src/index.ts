export * from './venue';
export * from './test-venue';
