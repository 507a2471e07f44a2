import { createHeartbeatPhases } from '@atc/trading';
import type { HeartbeatPhaseFactory } from './heartbeat-process';

/**
 * The phases `atc heartbeat` runs, in the order of `heartbeatPhaseNames`: the domain's, from
 * @atc/trading, with its default per-run bounds. This is the one place that wires them to the runner.
 */
export const heartbeatPhases: HeartbeatPhaseFactory = () => createHeartbeatPhases();
