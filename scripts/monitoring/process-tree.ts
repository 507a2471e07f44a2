/**
 * The processes under `atc up`, read from /proc (Linux): its roles are its children, so the
 * heartbeat loop is the descendant whose command line holds `heartbeat --loop`.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The parent pid of every live process. */
function parents(): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.set(Number(entry), Number(fields[1]));
    } catch {
      // The process exited while we were reading.
    }
  }
  return found;
}

/** Every live descendant of `pid`. */
export function descendants(pid: number): number[] {
  const byParent = parents();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const current = queue.shift()!;
    for (const [child, parent] of byParent) {
      if (parent === current) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** The arguments `pid` was started with; empty when it is gone. */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The scheduler state letter of `pid` (`S` sleeping, `R` running, `T` stopped, `Z` zombie); undefined when gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** The one descendant of `pid` whose arguments contain `args` in order; throws when none or several. */
export function findDescendant(pid: number, args: readonly string[]): number {
  const matches = descendants(pid).filter((candidate) => {
    const line = commandLine(candidate);
    return line.some((_, index) => args.every((arg, offset) => line[index + offset] === arg));
  });
  if (matches.length !== 1)
    throw new Error(`expected one process running "${args.join(' ')}" under ${pid}, found ${matches.length}`);
  return matches[0]!;
}
