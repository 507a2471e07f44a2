/**
 * The CLI's one error boundary: every error a command throws becomes one clear message on stderr
 * and an exit code. Usage and validation mistakes exit 2; everything else — invalid settings, a
 * missing record, an unreachable database, a bug — exits 1. A stack trace only with `--debug` or
 * `LOG_LEVEL=debug`/`trace`.
 * @module
 */
import { AtcError, errorMessage, InputError, redactUrlCredentials } from '@atc/platform';

export const EXIT_CODES = { runtime: 1, usage: 2 } as const;

export interface CliFailure {
  readonly exitCode: number;
  /** What goes to stderr, without the trailing newline. */
  readonly text: string;
}

const DEBUG_HINT = ' (run with --debug for details)';

export function describeCliError(error: unknown, debug: boolean): CliFailure {
  const message = redactUrlCredentials(errorMessage(error));
  const stack =
    debug && error instanceof Error && error.stack ? `\n${redactUrlCredentials(error.stack)}` : '';
  if (error instanceof InputError) return { exitCode: EXIT_CODES.usage, text: `atc: ${message}${stack}` };
  // Every other class of the hierarchy (errors.ts) — a ConfigError listing every bad key one per line
  // (the README's "exit 1 listing every key"), unavailable, not found, not allowed, a venue's
  // answer — is an expected failure: its whole message, exit 1.
  if (error instanceof AtcError) {
    return { exitCode: EXIT_CODES.runtime, text: `atc: ${message}${stack}` };
  }
  // Anything else is unexpected: still one line, the stack on request.
  const oneLine = message.split('\n')[0]!;
  return { exitCode: EXIT_CODES.runtime, text: `atc: ${oneLine}${stack || DEBUG_HINT}` };
}

/** `--debug` anywhere on the command line, or a debug log level, asks for stack traces. */
export function wantsDebug(argv: readonly string[], logLevel: string | undefined): boolean {
  return argv.includes('--debug') || logLevel === 'debug' || logLevel === 'trace';
}
