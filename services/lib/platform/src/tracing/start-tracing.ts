/**
 * Starts OpenTelemetry for the process when OTEL_EXPORTER_OTLP_ENDPOINT is set, and does nothing
 * otherwise: the SDK, its exporter and the instrumentations are required only when tracing starts,
 * so a process without an endpoint never loads them. The instrumentations patch `http`, `express`
 * and `pg` as they are required, so `startTracing` must run before anything requires them: the CLI
 * entry (services/atc/src/main.ts) calls it first and only then requires the rest of the program.
 * @module
 */
import type { Environment } from '../config';
import { loadTracingConfig } from './tracing.config';
import { setTracingActive } from './trace-context';
import type * as TracingSdkModule from './tracing-sdk';

/** What a started SDK gives back (a flush and stop); the type only: the module loads when tracing is on. */
type TracingSdk = TracingSdkModule.TracingSdk;

let sdk: TracingSdk | undefined;

/**
 * The `service.name` of a process, from its command line: `atc-dashboard`, `atc-worker-crypto`,
 * `atc-heartbeat`, `atc-simulator`; any operator command (`atc proposal submit`, …) is `atc-cli`.
 */
export function serviceNameOf(argv: readonly string[]): string {
  const [command, argument] = argv;
  switch (command) {
    case 'dashboard':
    case 'heartbeat':
      return `atc-${command}`;
    case 'worker':
      return argument ? `atc-worker-${argument}` : 'atc-worker';
    case 'sim':
      return 'atc-simulator';
    default:
      return 'atc-cli';
  }
}

export interface StartTracingOptions {
  /** The process's command line without node and the script (`process.argv.slice(2)`). */
  readonly argv: readonly string[];
  readonly env?: Environment;
}

/** Starts tracing when an endpoint is configured; returns whether it started. Idempotent. */
export function startTracing(options: StartTracingOptions): boolean {
  if (sdk) return true;
  const config = loadTracingConfig(options.env);
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined) return false;
  // Required here, not imported: loading the SDK is what "off costs nothing" avoids.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startNodeSdk } = require('./tracing-sdk') as typeof TracingSdkModule;
  sdk = startNodeSdk({ serviceName: config.OTEL_SERVICE_NAME ?? serviceNameOf(options.argv) });
  setTracingActive(true);
  return true;
}

/**
 * How long the last flush may take. The OTLP exporter retries an unreachable collector for up to
 * 10 s; a drain or an operator command should not wait that long for spans.
 */
export const TRACING_FLUSH_TIMEOUT_MS = 3_000;

/**
 * Flushes the spans not yet exported and stops the SDK (a role's last drain step, a command's exit);
 * a no-op when off. Rejects when the flush fails or takes longer than `timeoutMs`: the caller logs
 * it, and the spans are lost.
 */
export async function shutdownTracing(timeoutMs = TRACING_FLUSH_TIMEOUT_MS): Promise<void> {
  const running = sdk;
  if (!running) return;
  sdk = undefined;
  setTracingActive(false);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`trace spans not flushed within ${timeoutMs} ms; is the collector reachable?`)),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    await Promise.race([running.shutdown(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
