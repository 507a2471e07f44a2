import type { Environment } from '@atc/platform';
import { runHeartbeatLoop } from './heartbeat-loop';
import { heartbeatPhases } from './heartbeat-phases';
import { createHeartbeatTrigger, runHeartbeatProcess } from './heartbeat-process';

/** `atc heartbeat`: one run; resolves with the exit code (0 success or skipped, 1 failure). */
export function runHeartbeatCommand(options: { env?: Environment } = {}): Promise<number> {
  return runHeartbeatProcess({ phases: heartbeatPhases, ...options });
}

/** `atc heartbeat --loop`: a run every HEARTBEAT_INTERVAL_SECONDS until SIGTERM (local cadence). */
export function runHeartbeatLoopCommand(options: { env?: Environment } = {}): Promise<void> {
  return runHeartbeatLoop({ phases: heartbeatPhases, ...options });
}

/** POST /api/heartbeat's run in `atc dashboard`: the same run as `atc heartbeat`, on demand. */
export function heartbeatTrigger(
  options: { env?: Environment } = {},
): ReturnType<typeof createHeartbeatTrigger> {
  return createHeartbeatTrigger({ phases: heartbeatPhases, ...options });
}
