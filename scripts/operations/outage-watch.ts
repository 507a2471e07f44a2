/**
 * What the outage suite measures on the roles of `atc up`: each role's pid (a role that exits is
 * restarted by `atc up` under a new pid) and each role's `/health/ready` answer over time.
 * @module
 */
import type { LocalCompany, RoleAdmin } from '../monitoring/local-company';
import { commandLine, descendants } from '../monitoring/process-tree';
import { pollUntil } from '../monitoring/poll-until';

/** The role processes under `atc up`: `worker crypto` → pid. */
export function rolePids(company: LocalCompany): Map<string, number> {
  const pids = new Map<string, number>();
  for (const pid of descendants(company.pid)) {
    const line = commandLine(pid);
    const at = line.indexOf(company.bundle);
    if (at >= 0 && line.length > at + 1) pids.set(line.slice(at + 1).join(' '), pid);
  }
  return pids;
}

async function readiness(port: number): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(3_000),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: error instanceof Error ? error.message : String(error) };
  }
}

/** The roles whose readiness checks the database (the simulator's does not): they must go not ready. */
export async function databaseRoles(admins: readonly RoleAdmin[]): Promise<RoleAdmin[]> {
  const found: RoleAdmin[] = [];
  for (const admin of admins) {
    const { body } = await readiness(admin.port);
    const report = JSON.parse(body) as { checks?: Record<string, unknown> };
    if (report.checks && 'database' in report.checks) found.push(admin);
  }
  return found;
}

/** Per role, how long after `since` it first answered `/health/ready` with (or without) 200. */
export async function timeUntilEvery(
  admins: readonly RoleAdmin[],
  ready: boolean,
  deadlineMs: number,
): Promise<Map<string, number>> {
  const since = Date.now();
  const times = new Map<string, number>();
  await Promise.all(
    admins.map(async ({ role, port }) => {
      try {
        await pollUntil(
          `${role} ${ready ? 'ready' : 'not ready'}`,
          async () => {
            const answer = await readiness(port);
            return {
              done: (answer.status === 200) === ready,
              value: undefined,
              last: `${answer.status} ${answer.body}`,
            };
          },
          { deadlineMs, intervalMs: 100 },
        );
        times.set(role, Date.now() - since);
      } catch {
        // Not within the deadline: no time recorded; the caller reports the role.
      }
    }),
  );
  return times;
}

/** Roles that answered 200 at any sample while the database was down (`until` resolves when it is back). */
export async function readyWhileDown(
  admins: readonly RoleAdmin[],
  until: Promise<void>,
): Promise<Set<string>> {
  const flapped = new Set<string>();
  let over = false;
  void until.then(() => (over = true));
  while (!over) {
    const answers = await Promise.all(
      admins.map(async (admin) => ({ admin, answer: await readiness(admin.port) })),
    );
    if (over) break;
    for (const { admin, answer } of answers) if (answer.status === 200) flapped.add(admin.role);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return flapped;
}
