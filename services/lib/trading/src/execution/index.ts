export * from './execution-venue';
export * from './order-request';
export * from './venue-order-sync';
export * from './trade-execution';
export * from './reconciler';
