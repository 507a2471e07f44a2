/**
 * A worker role starts claiming only once the schema is usable by its code: in a GitOps deployment
 * (migrations as a plain Job, no hooks) the workers may start before the migrations Job has run, and
 * claiming against an old schema would fail every step. Waits, with a capped backoff, until the schema
 * is current or ahead (a newer release migrated it), or the process is told to stop.
 * @module
 */
import type { Logger } from '../logger';
import type { Migrator } from './migrations';

export interface WaitForSchemaOptions {
  readonly logger: Logger;
  /** True once the process drains: stop waiting. */
  readonly isStopping: () => boolean;
  /** The pause between two looks; injected by tests. */
  readonly delay?: (ms: number) => Promise<void>;
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
}

const realDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves true when the schema is usable, false when the process began to stop first. */
export async function waitForSchema(migrator: Migrator, options: WaitForSchemaOptions): Promise<boolean> {
  const delay = options.delay ?? realDelay;
  let delayMs = options.firstDelayMs ?? 500;
  let looks = 0;
  while (!options.isStopping()) {
    const state = await migrator.schemaState().catch((error: unknown) => {
      options.logger.warn({ err: error }, 'could not read the schema state; looking again');
      return 'unreadable' as const;
    });
    if (state === 'current' || state === 'ahead') {
      if (looks > 0) options.logger.info({ state }, 'schema ready: starting');
      return true;
    }
    if (looks === 0)
      options.logger.warn({ state }, 'schema is behind this release: waiting for `atc migrate up`');
    looks += 1;
    await delay(delayMs);
    delayMs = Math.min(options.maxDelayMs ?? 5_000, delayMs * 2);
  }
  return false;
}
