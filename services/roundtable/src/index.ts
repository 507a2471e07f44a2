export { runRoundtableWorker } from './main';
export { AGENT_STEP_KINDS, createAgentStepExecutor } from './agent-step.executor';
