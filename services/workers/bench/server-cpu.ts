import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Linux reports process CPU in clock ticks of USER_HZ, which is 100 on every mainstream kernel. */
const MS_PER_TICK = 10;

function cpuTicksOf(statLine: string): { parent: number; ticks: number } | undefined {
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
  const rest = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  const parent = Number(rest[1]);
  const ticks = Number(rest[11]) + Number(rest[12]);
  return Number.isFinite(parent) && Number.isFinite(ticks) ? { parent, ticks } : undefined;
}

/**
 * CPU time (user + system, ms) used so far by a local PostgreSQL server: the postmaster and its
 * live children (backends, autovacuum, checkpointer…). A child that already exited is not counted,
 * so read it while the pools under test are still connected. Undefined where /proc or the data
 * directory cannot be read (another OS, a remote server).
 */
export function postgresCpuMs(dataDirectory: string): number | undefined {
  try {
    const postmaster = Number(
      readFileSync(path.join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // exited while we looked
      }
      const parsed = cpuTicksOf(stat);
      if (parsed && (Number(entry) === postmaster || parsed.parent === postmaster)) ticks += parsed.ticks;
    }
    return ticks * MS_PER_TICK;
  } catch {
    return undefined;
  }
}
