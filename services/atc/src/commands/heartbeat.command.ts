import { KEEP_RUNNING, type CommandResult } from '../keep-running';
import { processEnvironment } from '@atc/platform';
import { runHeartbeatCommand, runHeartbeatLoopCommand } from '@atc/heartbeat';
import { loadCliConfig, resolveDatabaseUrl } from '../cli.config';
import { localCompanyEnvironment } from '../local-state';

/**
 * `atc heartbeat [--loop]`: the heartbeat role, configured by environment like every role. Without
 * DATABASE_URL it runs against the local company of `atc up` (its database and venue endpoints), so an
 * operator can trigger a run by hand.
 * Resolves with the exit code; -1 for the loop, which exits through its shutdown protocol.
 */
export async function runHeartbeatRole(options: { loop: boolean }): Promise<CommandResult> {
  const config = loadCliConfig();
  // Against the local company: its database and its venue endpoints, as `atc up` recorded them.
  const env = localCompanyEnvironment(config.home, processEnvironment());
  if (!env.DATABASE_URL) env.DATABASE_URL = resolveDatabaseUrl(config);
  if (options.loop) {
    await runHeartbeatLoopCommand({ env });
    return KEEP_RUNNING;
  }
  return runHeartbeatCommand({ env });
}
