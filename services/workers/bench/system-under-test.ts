import type { Pool } from 'pg';
import type { Logger } from '@atc/platform';
import type { RunRecorder } from './run-recorder';

/** What every configuration gets: the benchmark database and a plain pool for set-up and counting. */
export interface BenchContext {
  readonly databaseUrl: string;
  readonly admin: Pool;
  readonly logger: Logger;
  /** Our runtime's local prefetch queue (WORKER_PREFETCH); 0 claims only for free slots. */
  readonly atcPrefetch: number;
}

/** One configuration of one queue system: N workers draining a backlog of no-op jobs. */
export interface SystemUnderTest {
  /** Clears what earlier configurations left and enqueues about `count` jobs; returns how many. */
  seed(count: number): Promise<number>;
  /** Starts the workers; they report claims, executions and completions to the recorder. */
  start(): Promise<void>;
  /** Stops the workers and closes every connection they opened. */
  stop(): Promise<void>;
  /** Jobs enqueued by seed() whose completion was never committed. */
  countUnfinished(): Promise<number>;
}

export interface SystemOptions {
  readonly workers: number;
  readonly recorder: RunRecorder;
}

export interface SystemDefinition {
  /** Row label in the table. */
  readonly label: string;
  /** One line for the notes under the table: settings, and what claim and completion mean here. */
  readonly describe: (workers: number) => string;
  readonly create: (context: BenchContext, options: SystemOptions) => SystemUnderTest;
}
