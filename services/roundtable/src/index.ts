export { runRoundtableWorker } from './main';
export { AGENT_STEP_KINDS, createAgentStepExecutor } from './agent-step.executor';
export { createRulesVoice } from './voices/rules-voice';
export type { AgentVoice } from './voices/agent-voice';
