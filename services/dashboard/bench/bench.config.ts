/**
 * The API benchmarks' settings, read once from the environment (BENCH_* and ATC_HOME), and the
 * running local company they measure (`atc up` writes `.atc/local.json`).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const positive = () => z.coerce.number().int().positive();

const benchEnvironment = z.object({
  /** Where `atc up` keeps its state (as the CLI reads it). */
  ATC_HOME: z.string().min(1).default('.atc'),
  /** bench:api: requests a second per route, for how long, over how many connections. */
  BENCH_RATE: positive().default(1_000),
  BENCH_DURATION_SECONDS: positive().optional(),
  /** autocannon sends each connection's per-second share back to back: this is the burst depth. */
  BENCH_CONNECTIONS: positive().default(10),
  /** bench:api: skip the second run at the default rate limit (it starts a second dashboard). */
  BENCH_SKIP_DEFAULT_LIMIT_RUN: z.enum(['0', '1']).default('0'),
  BENCH_RAISE_LIMITS: z.enum(['0', '1']).default('0'),
  /** bench:decision: proposals a second, how long to wait for the last orders, how often to read the journal. */
  BENCH_PROPOSALS_PER_SECOND: positive().default(5),
  BENCH_SETTLE_SECONDS: positive().default(15),
  BENCH_POLL_MS: positive().default(5),
  /** bench:decision: a JSON file holding an array of proposal templates, instead of the built-in ones. */
  BENCH_PROPOSALS_FILE: z.string().min(1).optional(),
});
export type BenchConfig = z.infer<typeof benchEnvironment>;

/** The settings, or an error naming every bad key. */
export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const parsed = benchEnvironment.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`bad benchmark settings: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** The environment a child process of the bench starts from (only the config module reads process.env). */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}

const localStateSchema = z.object({
  pid: z.number().int(),
  databaseUrl: z.string().min(1),
  dashboardUrl: z.string().url(),
  venueBaseUrls: z.record(z.string(), z.string()).optional(),
});

export interface LocalCompany {
  readonly databaseUrl: string;
  readonly dashboardUrl: string;
  /** The venue simulator's base URL (its `/_sim` control surface), if `atc up` runs one. */
  readonly simulatorUrl: string | undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The running `atc up`, from `<ATC_HOME>/local.json` (the format of services/atc/src/local-state.ts;
 * a role cannot import the CLI, so the few fields used here are read with their own schema).
 */
export function readLocalCompany(config: BenchConfig): LocalCompany {
  const file = path.join(path.resolve(config.ATC_HOME), 'local.json');
  if (!existsSync(file)) throw new Error(`${file} not found: start the company first (npm start)`);
  const state = localStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (!isAlive(state.pid)) throw new Error(`${file} names pid ${state.pid}, which is not running: npm start`);
  const jupiter = state.venueBaseUrls?.JUPITER_BASE_URL;
  return {
    databaseUrl: state.databaseUrl,
    dashboardUrl: state.dashboardUrl.replace(/\/$/, ''),
    simulatorUrl: jupiter?.endsWith('/jupiter') ? jupiter.slice(0, -'/jupiter'.length) : undefined,
  };
}
