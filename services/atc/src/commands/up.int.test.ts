import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { findFreePort, makeScratchDirectory } from '@atc/platform';
import { childEnvironment, REPOSITORY_ROOT, runTypeScript } from '@atc/platform/testing';

// `atc up` end to end, as a user runs it: embedded PostgreSQL, migrations, the roles, readiness on
// the dashboard's port, and a Ctrl-C that leaves no process behind.
const cli = path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts');

/** Every live descendant of `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process exited while we were reading.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const current = queue.shift()!;
    for (const [child, parent] of parents) {
      if (parent === current) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

async function waitForReady(url: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const status = await fetch(url).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms`);
}

describe('atc up', () => {
  const home = path.join(makeScratchDirectory('atc-up-test-'), '.atc');
  afterAll(() => rmSync(path.dirname(home), { recursive: true, force: true }));

  it('answers 200 on /health/ready, and Ctrl-C stops every child and PostgreSQL', async () => {
    const [pgPort, dashboardPort, adminBase] = [
      await findFreePort(),
      await findFreePort(),
      await findFreePort(),
    ];
    const proc = runTypeScript(
      cli,
      ['up'],
      childEnvironment({
        ATC_HOME: home,
        LOCAL_PG_PORT: String(pgPort),
        DASHBOARD_PORT: String(dashboardPort),
        ADMIN_PORT_BASE: String(adminBase),
        SIM_PORT: String(await findFreePort()),
      }),
    );
    try {
      await waitForReady(`http://127.0.0.1:${dashboardPort}/health/ready`, 60_000);
      const ready = await (await fetch(`http://127.0.0.1:${dashboardPort}/health/ready`)).json();
      expect(ready).toMatchObject({
        status: 'ready',
        checks: { database: { status: 'ok' }, migrations: { status: 'ok' } },
      });
      const children = descendants(proc.child.pid!);
      expect(children.length).toBeGreaterThanOrEqual(2); // at least PostgreSQL and the dashboard
      expect(proc.stdout()).toMatch(new RegExp(`dashboard +http://localhost:${dashboardPort}`));

      proc.child.kill('SIGINT');
      const { code } = await proc.exited;
      expect(code).toBe(0);
      // Grandchildren cannot be awaited from here: poll their /proc entries, with a deadline.
      const deadline = Date.now() + 5_000;
      while (children.some(isAlive) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(children.filter(isAlive)).toEqual([]);
      expect(readdirSync(home)).not.toContain('local.json');
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    }
  }, 120_000);
});
