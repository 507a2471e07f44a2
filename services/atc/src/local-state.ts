/**
 * `atc up` records where its database listens in `.atc/local.json`, so that other `atc` commands run
 * without DATABASE_URL find it. The file names the pid that owns it; a dead owner means no local company.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { simulatorBaseUrls } from '@atc/venues';

const localStateSchema = z.object({
  pid: z.number().int(),
  databaseUrl: z.string(),
  dashboardUrl: z.string(),
  /** The venue base URLs the roles of `atc up` use (the simulator's, unless set in the environment). */
  venueBaseUrls: z.record(z.string(), z.string()).optional(),
  startedAt: z.string(),
});
export type LocalState = z.infer<typeof localStateSchema>;

/** The venue base-URL variables `atc up` points at its simulator on `port`. */
export function localSimulatorBaseUrls(port: number): Record<string, string> {
  return simulatorBaseUrls(`http://127.0.0.1:${port}`);
}

/**
 * The environment a command that works on the local company runs with: when DATABASE_URL is unset
 * and `atc up` is running, its database and its venue endpoints fill in what the environment does
 * not set (a variable set explicitly always wins). With DATABASE_URL set, the command works on that
 * database and the environment alone names the venues: never a mix of a remote database and the
 * local simulator.
 */
export function localCompanyEnvironment(home: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.DATABASE_URL) return env;
  const local = readLocalState(home);
  if (!local) return env;
  const filled: NodeJS.ProcessEnv = { ...env, DATABASE_URL: local.databaseUrl };
  for (const [key, url] of Object.entries(local.venueBaseUrls ?? {})) {
    if (!filled[key]) filled[key] = url;
  }
  return filled;
}

/** The local company's one paper-mode Solana wallet (made once, mode 0600; see @atc/venues paper-wallet). */
export function paperWalletPath(home: string): string {
  return path.join(home, 'paper-wallet.json');
}

export function localStatePath(home: string): string {
  return path.join(home, 'local.json');
}

export function writeLocalState(home: string, state: LocalState): void {
  mkdirSync(home, { recursive: true });
  writeFileSync(localStatePath(home), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function removeLocalState(home: string): void {
  rmSync(localStatePath(home), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running local company's state, or undefined when none is running. */
export function readLocalState(home: string): LocalState | undefined {
  const file = localStatePath(home);
  if (!existsSync(file)) return undefined;
  const parsed = localStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success || !isAlive(parsed.data.pid)) return undefined;
  return parsed.data;
}
