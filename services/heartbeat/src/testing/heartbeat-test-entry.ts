/**
 * The `atc heartbeat` process with test phases, for the process tests (concurrency, SIGKILL):
 * the same composition, lease, signals and exit codes; only the phases differ. `--phase-ms N` makes
 * its one phase's SQL take N ms.
 * @module
 */
import { parseArgs } from 'node:util';
import { runHeartbeatProcess } from '../heartbeat-process';
import { sqlPhase } from './test-phases';

const { values } = parseArgs({ options: { 'phase-ms': { type: 'string', default: '0' } } });
const phaseMs = Number(values['phase-ms']);

runHeartbeatProcess({ phases: () => [sqlPhase('mark_to_market', phaseMs)] }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`heartbeat test entry failed: ${String(error)}\n`);
    process.exit(1);
  },
);
