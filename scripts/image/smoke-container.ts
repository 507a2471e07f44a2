/**
 * A process run the way the container runtime would run the replayed image: its ENTRYPOINT plus
 * args, its ENV only, its WORKDIR, its USER (uid and gid; libuv drops supplementary groups), `/` as
 * HOME and `/tmp` as the one writable folder. Image paths (`/app/atc.cjs`, `ATC_HOME=/tmp/atc`) are
 * mapped onto the replayed tree and the smoke's own tmp folder.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import type { ReplayedImage } from './replay-runtime-stage';

export interface ContainerOptions {
  readonly image: ReplayedImage;
  /** Who runs it; null: this process's user. */
  readonly user: { readonly uid: number; readonly gid: number } | null;
  /** The host folder that stands for the container's /tmp (the pod's emptyDir). */
  readonly tmp: string;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 200;
const OUTPUT_LINES_KEPT = 60;

/** The container's /tmp: empty, owned by the image's user (as an emptyDir is writable by the pod). */
export function prepareTmp(work: string, user: ContainerOptions['user']): string {
  const tmp = path.join(work, 'tmp');
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  if (user) chownSync(tmp, user.uid, user.gid);
  return tmp;
}

/**
 * Takes write permission away from every folder of `root` (and every file with `filesToo`), or gives
 * the owner's back with `undo`. Files of a hard-linked tree are left alone: they are the repository's.
 */
export function makeReadOnly(root: string, options: { filesToo?: boolean; undo?: boolean }): void {
  const walk = (entry: string): void => {
    const stat = lstatSync(entry, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink()) return;
    if (stat.isDirectory()) {
      if (options.undo) chmodSync(entry, stat.mode | 0o200);
      for (const child of readdirSync(entry)) walk(path.join(entry, child));
      if (!options.undo) chmodSync(entry, stat.mode & ~0o222);
    } else if (stat.mode & 0o002) {
      throw new Error(`${entry} is writable by anyone: the image's files must not be`);
    } else if (options.filesToo && !options.undo) {
      chmodSync(entry, stat.mode & ~0o222);
    }
  };
  walk(root);
}

/** `count` distinct free ports: all are bound at once, so no two answers can be the same port. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => {
      const address = server.address();
      return typeof address === 'object' && address ? address.port : 0;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

export class Container {
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private exit: Exit | undefined;

  constructor(
    private readonly options: ContainerOptions,
    readonly name: string,
    args: readonly string[],
    env: Readonly<Record<string, string>>,
    command: readonly string[] = [...options.image.entrypoint, ...args],
  ) {
    const [program, ...rest] = command.map((arg) => this.toHost(arg));
    this.child = spawn(program === 'node' ? process.execPath : program!, rest, {
      cwd: this.toHost(options.image.workdir),
      env: this.environment(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    for (const stream of [this.child.stdout, this.child.stderr])
      stream?.setEncoding('utf8').on('data', (chunk: string) => this.keep(chunk));
    this.exited = new Promise((resolve) => {
      // A process that cannot start (node not executable by USER, say) emits no exit of its own.
      this.child.once('error', (error) => {
        this.keep(`spawn failed: ${error.message}\n`);
        this.exit ??= { code: null, signal: null };
        resolve(this.exit);
      });
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  /** An image path on the host: /tmp… in the smoke's tmp, anything else absolute in the tree. */
  private toHost(value: string): string {
    if (value === '/tmp' || value.startsWith('/tmp/')) return path.join(this.options.tmp, value.slice(4));
    if (value.startsWith('/')) return path.join(this.options.image.root, value);
    return value;
  }

  /** Only what the image's config sets, as the runtime would (PATH finds this node, as the base image's). */
  private environment(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
    const imageEnv = Object.fromEntries(
      Object.entries(this.options.image.env).map(([name, value]) => [name, this.toHost(value)]),
    );
    return {
      PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: this.toHost('/'),
      TMPDIR: this.options.tmp,
      ...imageEnv,
      ...extra,
    };
  }

  private keep(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter(Boolean));
    if (this.lines.length > OUTPUT_LINES_KEPT * 4)
      this.lines.splice(0, this.lines.length - OUTPUT_LINES_KEPT);
  }

  output(): string {
    return this.lines.join('\n');
  }

  tail(): string {
    return this.lines.slice(-OUTPUT_LINES_KEPT).join('\n');
  }

  /** Resolves once GET /health/ready on the admin port answers 200; throws if the role exits first. */
  async ready(adminPort: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.exit)
        throw new Error(
          `${this.name} exited ${this.exit.code ?? this.exit.signal} before ready:\n${this.tail()}`,
        );
      try {
        const response = await fetch(`http://127.0.0.1:${adminPort}/health/ready`, {
          signal: AbortSignal.timeout(2_000),
        });
        last = `${response.status} ${await response.text()}`;
        if (response.status === 200) return;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      // A poll with a deadline: the role is another process, with no event to await but its answer.
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
    throw new Error(`${this.name} not ready within ${READY_TIMEOUT_MS} ms (last: ${last}):\n${this.tail()}`);
  }

  /** Sends the image's STOPSIGNAL and waits for the exit, SIGKILL after `timeoutMs`. */
  async stop(timeoutMs: number): Promise<Exit> {
    this.child.kill(this.options.image.stopSignal as NodeJS.Signals);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (!this.exit) this.child.kill('SIGKILL');
  }
}
