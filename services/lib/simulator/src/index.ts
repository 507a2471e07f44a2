export {
  createSimulator,
  startSimulator,
  type RunningSimulator,
  type Simulator,
  type SimulatorOptions,
  type StartSimulatorOptions,
} from './simulator';
export {
  loadSimulatorConfig,
  simulatorEnvironment,
  simulatorOptionsFromConfig,
  type SimulatorConfig,
  type SimulatorOverrides,
} from './simulator.config';
export type { FaultRule } from './fault-injection';
export type { JournalEntry } from './sim-journal';
export { DEFAULT_SIM_START, PROJECTX_ACCOUNT_ID, TRADIER_ACCOUNT } from './sim-context';
export { DEFAULT_NEBULA_KEY } from './nebula.routes';
export { PROJECTX_DUPLICATE_TAG_ERROR } from './projectx.routes';
export { BLOCKHASH_VALIDITY, JUPITER_PROGRAM_ID } from './solana-ledger';
export { INSTRUMENTS, SOL_MINT, USDC_MINT } from './instruments';
export { occSymbol, parseOccSymbol } from './option-pricing';
