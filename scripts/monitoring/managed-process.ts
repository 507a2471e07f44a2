/**
 * A child process the e2e starts and must stop: its output kept (the last lines, for a failure
 * report), its exit awaited, and a stop that sends SIGTERM and SIGKILLs after a deadline.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const LINES_KEPT = 200;

export class ManagedProcess {
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();
  private exit: Exit | undefined;
  private partial = '';

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    /** `onLine` sees every output line (only the last LINES_KEPT are kept here), from the first. */
    options: { env: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void },
  ) {
    if (options.onLine) this.listeners.add(options.onLine);
    this.child = spawn(command, args, {
      env: options.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr])
      stream?.setEncoding('utf8').on('data', (chunk: string) => this.keep(chunk));
    this.exited = new Promise((resolve) => {
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

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  private keep(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      this.lines.push(line);
      for (const listener of this.listeners) listener(line);
    }
    if (this.lines.length > LINES_KEPT * 2) this.lines.splice(0, this.lines.length - LINES_KEPT);
  }

  /** Resolves with the first output line matching `pattern`; rejects when the process exits first. */
  waitForLine(pattern: RegExp, deadlineMs: number): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const finish = (outcome: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        outcome();
      };
      const listener = (line: string) => {
        if (pattern.test(line)) finish(() => resolve(line));
      };
      // The deadline of a wait for another process's output, not a sleep.
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new Error(`${this.name}: no line matching ${pattern} within ${deadlineMs} ms`)),
          ),
        deadlineMs,
      );
      this.listeners.add(listener);
      void this.exited.then((exit) =>
        finish(() =>
          reject(new Error(`${this.name} exited (${exit.code ?? exit.signal}) before printing ${pattern}`)),
        ),
      );
    });
  }

  /** Every output line kept so far. */
  output(): string[] {
    return [...this.lines];
  }

  tail(count = 40): string {
    return this.lines.slice(-count).join('\n');
  }

  /** SIGTERM, then SIGKILL if it has not exited within `timeoutMs`. */
  async stop(timeoutMs: number): Promise<Exit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs a command to its end; resolves with its exit code and output. */
export async function runCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      stderr += `spawn failed: ${error.message}\n`;
      resolve(null);
    });
    child.once('close', (exitCode) => resolve(exitCode));
  });
  return { code, stdout, stderr };
}
