import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * `atc up` records where its database listens in `.atc/local.json`, so that other `atc` commands run
 * without DATABASE_URL find it. The file names the pid that owns it; a dead owner means no local company.
 */
const localStateSchema = z.object({
  pid: z.number().int(),
  databaseUrl: z.string(),
  dashboardUrl: z.string(),
  startedAt: z.string(),
});
export type LocalState = z.infer<typeof localStateSchema>;

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
