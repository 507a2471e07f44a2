import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { systemClock, type Clock } from '@atc/contracts';
import { baseEnvironment, ConfigError, integer, loadConfig, port, type Environment } from '@atc/platform';
import { transcriptSchema, type Transcript } from './anthropic-script';
import { describeFaultRuleIssues, faultRulesSchema, type FaultRule } from './fault-injection';
import { DEFAULT_NEBULA_KEY } from './nebula.routes';

/**
 * The keys of `atc sim`. `--seed` and `--port` on the command line win over SIM_SEED and SIM_PORT.
 * SIM_FAULTS is a JSON array of fault rules (see fault-injection.ts), applied at start.
 * SIM_START_TIME sets the simulated instant at tick 0; without it the simulator starts at the real
 * time, so its sessions, expiries and front-month contracts are today's.
 * SIM_ANTHROPIC_TRANSCRIPT names a recorded transcript (anthropic-script.ts) the Anthropic endpoint replays.
 */
export const simulatorEnvironment = {
  ...baseEnvironment,
  SIM_PORT: port().default(7070),
  SIM_HOST: z.string().min(1).default('127.0.0.1'),
  SIM_SEED: integer(0, 2 ** 32 - 1).default(42),
  SIM_TICK_INTERVAL_MS: integer(0, 3_600_000).default(1_000),
  SIM_START_TIME: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  SIM_FAULTS: z
    .string()
    .transform((text, issue): FaultRule[] => {
      // The message names the key and the bad rule fields, not the (possibly long) value.
      let problems: string[] = [];
      try {
        const parsed = faultRulesSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
        problems = describeFaultRuleIssues(parsed.error);
      } catch {
        // Not JSON at all: the generic message below.
      }
      const detail = problems.length > 0 ? ` (${problems.join('; ')})` : '';
      issue.addIssue({ code: 'custom', message: `must be a JSON array of fault rules${detail}` });
      return z.NEVER;
    })
    .optional(),
  NEBULA_WEBHOOK_KEY: z.string().min(1).default(DEFAULT_NEBULA_KEY),
  SIM_ANTHROPIC_TRANSCRIPT: z.string().min(1).optional(),
} as const;

export type SimulatorConfig = z.infer<z.ZodObject<typeof simulatorEnvironment>>;

export function loadSimulatorConfig(env?: Environment): SimulatorConfig {
  return loadConfig(z.object(simulatorEnvironment), env);
}

/** Command-line overrides of `atc sim`. */
export interface SimulatorOverrides {
  readonly seed?: number;
  readonly port?: number;
}

/** What `atc sim` starts: the config (with `--seed`/`--port` applied) turned into simulator options. */
export function simulatorOptionsFromConfig(
  config: SimulatorConfig,
  overrides: SimulatorOverrides = {},
  clock: Clock = systemClock,
) {
  return {
    seed: overrides.seed ?? config.SIM_SEED,
    port: overrides.port ?? config.SIM_PORT,
    host: config.SIM_HOST,
    tickIntervalMs: config.SIM_TICK_INTERVAL_MS,
    nebulaWebhookKey: config.NEBULA_WEBHOOK_KEY,
    startTimeMs: config.SIM_START_TIME ? Date.parse(config.SIM_START_TIME) : clock.now().getTime(),
    ...(config.SIM_FAULTS ? { faults: config.SIM_FAULTS } : {}),
    ...(config.SIM_ANTHROPIC_TRANSCRIPT
      ? { anthropicTranscript: readTranscript(config.SIM_ANTHROPIC_TRANSCRIPT) }
      : {}),
  };
}

/** A transcript file, checked; the error names the key and the file, not its content. */
export function readTranscript(file: string): Transcript {
  let parsed: ReturnType<typeof transcriptSchema.safeParse>;
  try {
    parsed = transcriptSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new ConfigError([
      `SIM_ANTHROPIC_TRANSCRIPT: cannot read ${file} as JSON (${(error as Error).message})`,
    ]);
  }
  if (!parsed.success)
    throw new ConfigError([
      `SIM_ANTHROPIC_TRANSCRIPT: ${file} is not a transcript (${parsed.error.issues[0]?.message})`,
    ]);
  return parsed.data;
}
