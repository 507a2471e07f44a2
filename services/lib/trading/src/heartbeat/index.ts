export * from './heartbeat-phase';
