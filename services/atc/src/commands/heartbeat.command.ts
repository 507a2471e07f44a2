import { processEnvironment, readEnv } from '@atc/platform';
import { runHeartbeatCommand, runHeartbeatLoopCommand } from '@atc/heartbeat';
import { loadCliConfig, resolveDatabaseUrl } from '../cli.config';

/**
 * `atc heartbeat [--loop]`: the heartbeat role, configured by environment like every role. Without
 * DATABASE_URL it runs against the local company of `atc up`, so an operator can trigger a run by hand.
 * Resolves with the exit code; -1 for the loop, which exits through its shutdown protocol.
 */
export async function runHeartbeatRole(options: { loop: boolean }): Promise<number> {
  const env = processEnvironment();
  if (!readEnv('DATABASE_URL')) env.DATABASE_URL = resolveDatabaseUrl(loadCliConfig());
  if (options.loop) {
    await runHeartbeatLoopCommand({ env });
    return -1;
  }
  return runHeartbeatCommand({ env });
}
