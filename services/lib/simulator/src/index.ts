// The public surface of @atc/simulator: what `atc sim`, `atc up` and other packages' tests use, by
// name. The routes, the order books, the ledger and the clock are private to the package. The contract
// test harness (the simulator plus the real venue clients) is `@atc/simulator/testing`.
export { startSimulator, type RunningSimulator, type StartSimulatorOptions } from './simulator';
export { loadSimulatorConfig, simulatorOptionsFromConfig, type SimulatorConfig } from './simulator.config';
export { DEFAULT_SIM_START } from './sim-context';
export { INSTRUMENTS, SOL_MINT, USDC_MINT } from './instruments';
export { occSymbol } from './option-pricing';
export {
  createTranscriptRecorder,
  transcriptRequestHash,
  type ScriptEntry,
  type Transcript,
} from './anthropic-script';
