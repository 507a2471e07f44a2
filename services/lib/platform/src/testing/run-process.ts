/**
 * Runs a TypeScript entry point in a real child process (through tsx), for tests of what only a
 * process can show: exit codes, signals, stderr. Output is collected; `waitFor` resolves when a
 * line matching a pattern appears.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SCRATCH_VARIABLE } from './test-database';

export interface RunningProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsedMs: number }>;
}

export const REPOSITORY_ROOT = path.resolve(__dirname, '../../../../..');

export function runTypeScript(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { detached?: boolean } = {},
): RunningProcess {
  return runNode(['--import', 'tsx', entry, ...args], env, options);
}

/** Runs `node` with these arguments (a bundled script, say) and collects its output. */
export function runNode(
  nodeArguments: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { detached?: boolean } = {},
): RunningProcess {
  const started = Date.now();
  const child = spawn(process.execPath, nodeArguments, {
    cwd: REPOSITORY_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(out) || waiter.pattern.test(err)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    check();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
    check();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsedMs: number }>(
    (resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, elapsedMs: Date.now() - started })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        // eslint-disable-next-line no-restricted-syntax -- the deadline that fails the wait, not a sleep
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `timed out waiting for ${String(pattern)}; stdout: ${out.slice(-2000)} stderr: ${err.slice(-2000)}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        check();
        void exited.then(() => {
          clearTimeout(timer);
          if (waiters.some((w) => w.pattern === pattern)) {
            reject(
              new Error(
                `process exited before ${String(pattern)}; stdout: ${out.slice(-2000)} stderr: ${err.slice(-2000)}`,
              ),
            );
          }
        });
      }),
  };
}

/**
 * The environment a child gets: this process's, minus anything that would point it at a real
 * database, and with its local state (ATC_HOME: `local.json`, the paper wallet) in a directory of this
 * test process's, never the developer's `.atc`. Overrides win.
 */
let scratchHome: string | undefined;

/**
 * One local state directory per test process for its children: inside the run's scratch directory
 * (removed by jest's global teardown), or, outside an integration run, one removed at exit.
 */
function testHome(): string {
  if (!scratchHome) {
    const runScratch = process.env[SCRATCH_VARIABLE];
    const home = mkdtempSync(path.join(runScratch ?? tmpdir(), 'atc-test-home-'));
    if (!runScratch) process.once('exit', () => rmSync(home, { recursive: true, force: true }));
    scratchHome = home;
  }
  return scratchHome;
}

export function childEnvironment(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    ATC_HOME: testHome(),
  };
  delete env.DATABASE_URL;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}
