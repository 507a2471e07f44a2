export { analysisProposal, tradeProposal, tunePolicy } from './proposal.fixtures';
export { insertQueuedSteps } from './queued-steps.fixture';
export { insertTestMarks, SOL_MINT, USDC_MINT } from './test-prices';
export { type RoundTrip, tradeRoundTrip } from './trading-activity.fixture';
export { tripLossLatch } from '../halts.queries';
export {
  HEARTBEAT,
  RELEASE,
  RELEASE_SELECTOR,
  replicasOf,
  seedRelease,
  WORKER_REPLICAS,
} from './cluster-workloads.fixture';
export { countExporterScale, seedExporterScale } from './exporter-scale.fixture';
export {
  explainStatement,
  type PlanNode,
  planNodes,
  recordingQueryable,
  type RecordedStatement,
  sequentiallyScanned,
} from './query-plans';
