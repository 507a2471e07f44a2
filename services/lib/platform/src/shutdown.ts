/**
 * The shutdown protocol of every role:
 * - the first SIGTERM or SIGINT stops intake and runs the drain hooks (in registration order),
 * - a deadline (`SHUTDOWN_TIMEOUT_MS`, set below the pod's termination grace period) forces exit 1,
 * - a second signal forces exit 1 at once,
 * - after a clean drain (and the flush of the last trace spans) the process exits 0.
 * `uncaughtException` and `unhandledRejection` are logged at fatal and exit 1: a process in an
 * unknown state must not keep trading.
 * @module
 */
import type { Logger } from './logger';
import { errorMessage } from './errors';
import { shutdownTracing } from './tracing/start-tracing';

export type DrainHook = () => Promise<void> | void;

export interface ShutdownOptions {
  readonly logger: Logger;
  readonly timeoutMs: number;
  /** Injected for tests; defaults to the real process. */
  readonly exit?: (code: number) => void;
  readonly processLike?: NodeJS.EventEmitter;
}

export interface Shutdown {
  /** Hooks run in the order they were registered: stop intake first, then drain. */
  onShutdown(name: string, hook: DrainHook): void;
  /** Hooks that run after every `onShutdown` hook: closing pools and servers the drain still used. */
  onFinalShutdown(name: string, hook: DrainHook): void;
  /** True once a shutdown has begun; loops check it to stop taking new work. */
  readonly isShuttingDown: boolean;
  /** An AbortSignal that fires when shutdown begins. */
  readonly signal: AbortSignal;
  /** Starts the shutdown as if a signal had arrived (for `run()` failures and tests). */
  shutdown(reason: string, exitCode?: number): Promise<void>;
}

export function installShutdown(options: ShutdownOptions): Shutdown {
  const proc = options.processLike ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const hooks: { name: string; hook: DrainHook }[] = [];
  const finalHooks: { name: string; hook: DrainHook }[] = [];
  const controller = new AbortController();
  let running: Promise<void> | undefined;
  let exited = false;

  const finish = (code: number) => {
    if (exited) return;
    exited = true;
    exit(code);
  };

  const shutdown = (reason: string, exitCode = 0): Promise<void> => {
    if (running) return running;
    controller.abort(new Error(`shutting down: ${reason}`));
    options.logger.info({ reason, timeoutMs: options.timeoutMs }, 'shutdown started');
    const deadline = setTimeout(() => {
      options.logger.error({ timeoutMs: options.timeoutMs }, 'shutdown deadline passed; forcing exit');
      finish(1);
    }, options.timeoutMs);
    deadline.unref?.();
    running = (async () => {
      let failed = false;
      for (const { name, hook } of [...hooks, ...finalHooks]) {
        if (exited) return;
        try {
          await hook();
          options.logger.debug({ hook: name }, 'drain hook finished');
        } catch (error) {
          failed = true;
          options.logger.error({ err: error, hook: name }, 'drain hook failed');
        }
      }
      // Last, inside the deadline: the spans of the whole drain are flushed (a no-op when tracing is off).
      try {
        await shutdownTracing();
      } catch (error) {
        options.logger.warn({ err: error }, 'flushing the last spans failed; they are lost');
      }
      clearTimeout(deadline);
      options.logger.info({ failed }, 'shutdown complete');
      finish(failed ? 1 : exitCode);
    })();
    return running;
  };

  const onSignal = (signal: string) => {
    if (running) {
      options.logger.warn({ signal }, 'second signal during shutdown; exiting now');
      finish(1);
      return;
    }
    void shutdown(signal);
  };
  proc.on('SIGTERM', () => onSignal('SIGTERM'));
  proc.on('SIGINT', () => onSignal('SIGINT'));
  // Under `atc up` a role is a child with an IPC channel: when the parent dies, even by SIGKILL, the
  // channel closes and the role drains instead of living on as an orphan.
  if (proc === process && process.connected) {
    process.on('disconnect', () => void shutdown('parent process exited'));
  }
  proc.on('uncaughtException', (error: unknown) => {
    options.logger.fatal({ err: error }, 'uncaught exception');
    finish(1);
  });
  proc.on('unhandledRejection', (reason: unknown) => {
    options.logger.fatal(
      { err: reason instanceof Error ? reason : new Error(errorMessage(reason)) },
      'unhandled rejection',
    );
    finish(1);
  });

  return {
    onShutdown(name, hook) {
      hooks.push({ name, hook });
    },
    onFinalShutdown(name, hook) {
      finalHooks.push({ name, hook });
    },
    get isShuttingDown() {
      return running !== undefined;
    },
    signal: controller.signal,
    shutdown,
  };
}
