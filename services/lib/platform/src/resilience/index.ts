export * from './http-errors';
export * from './http-retry';
export * from './circuit-breaker';
export * from './venue-metrics';
export * from './resilient-http';
