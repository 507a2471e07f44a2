export * from './enums';
export * from './money';
export * from './trade-payloads';
export * from './proposals';
export * from './policies';
export * from './events';
export * from './venue-orders';
export * from './safe-json';
