export { heartbeatTrigger, runHeartbeatCommand, runHeartbeatLoopCommand } from './main';
export { heartbeatEnvironment, type HeartbeatSettings } from './heartbeat.config';
export { runHeartbeat, type HeartbeatOutcome, type HeartbeatRunOptions } from './heartbeat-runner';
export type { PhaseRecord } from './phase-executor';
export { createHeartbeatPhases, type HeartbeatPhaseOptions } from './heartbeat-phases';
