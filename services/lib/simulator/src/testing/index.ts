// For contract tests of other packages: the real simulator and the real venue clients pointed at it.
// Test code only (it imports @atc/venues, which the simulator's production code never does).
export { startHarness, type SimHarness } from './sim-harness';
export { advanceSimulatorClock } from './sim-clock-control';
