/**
 * `atc health [--url U]`: one readiness probe, so the image's Docker HEALTHCHECK needs neither a shell
 * nor curl. Asks the role in the same container (`http://127.0.0.1:$ADMIN_PORT/health/ready` unless
 * --url names another) and exits 0 on a 2xx answer, 1 on anything else (a 503 while not ready or
 * draining, a refused connection, no answer within HEALTH_TIMEOUT_MS).
 * @module
 */
import { z } from 'zod';
import { InputError, integer, loadConfig, port, type Environment } from '@atc/platform';
import { writeLine } from '../output';

export const healthEnvironment = {
  ADMIN_PORT: port().default(9090),
  // Below Docker's default HEALTHCHECK timeout (30 s) and the image's (5 s), so the probe reports why.
  HEALTH_TIMEOUT_MS: integer(100, 60_000).default(4_000),
} as const;

export interface HealthOptions {
  readonly url: string | undefined;
  readonly env?: Environment;
}

function probeUrl(url: string | undefined, adminPort: number): URL {
  if (url === undefined) return new URL(`http://127.0.0.1:${adminPort}/health/ready`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`--url must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new InputError(`--url must be an http(s) URL, got ${JSON.stringify(url)}`);
  return parsed;
}

/** Probes once; writes one line (Docker keeps it in the container's health log) and returns the exit code. */
export async function runHealth(options: HealthOptions): Promise<number> {
  const config = loadConfig(z.object(healthEnvironment), options.env);
  const url = probeUrl(options.url, config.ADMIN_PORT);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(config.HEALTH_TIMEOUT_MS) });
    // The body names the failing check ({status, checks}); drain it so the socket closes.
    const body = (await response.text()).slice(0, 500);
    writeLine(`${url.href} ${response.status} ${body}`.trimEnd());
    return response.ok ? 0 : 1;
  } catch (error) {
    const reason =
      error instanceof Error ? (error.cause instanceof Error ? error.cause : error).message : String(error);
    writeLine(`${url.href} unreachable: ${reason}`);
    return 1;
  }
}
