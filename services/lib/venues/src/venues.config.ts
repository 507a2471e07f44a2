/**
 * Venue configuration. Paper is the default: every base URL points at the local simulator and the
 * credentials default to placeholders the simulator accepts. `TRADING_MODE=live` requires the real
 * credentials of every venue the role uses, and start-up fails naming each missing key (never a value).
 * @module
 */
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, httpUrl, integer, loadConfig, type Environment } from '@atc/platform';

const SIM = 'http://127.0.0.1:7070';

export const venuesEnvironment = {
  TRADING_MODE: z.enum(['paper', 'live'], { error: 'must be paper or live' }).default('paper'),
  VENUE_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  VENUE_MAX_RETRIES: integer(0, 10).default(3),
  BREAKER_FAILURE_THRESHOLD: integer(1, 100).default(3),
  BREAKER_RESET_SECONDS: integer(1, 86_400).default(300),
  JUPITER_BASE_URL: httpUrl().default(`${SIM}/jupiter`),
  JUPITER_API_KEY: z.string().min(1).optional(),
  /** The base of each swap's priority fee; every order adds its own 0–999 lamports (jupiter-priority-fee.ts). */
  JUPITER_PRIORITY_FEE_LAMPORTS: integer(0, 100_000_000).default(5_000),
  SOLANA_RPC_URL: httpUrl().default(`${SIM}/solana`),
  SOLANA_WALLET_SECRET: z.string().min(1).optional(),
  /** A Solana CLI keypair file; in paper mode without a secret, ATC_HOME/paper-wallet.json (made once). */
  SOLANA_WALLET_FILE: z.string().min(1).optional(),
  /** The local state directory `atc up` and the CLI share; only the paper wallet's default path uses it here. */
  ATC_HOME: z.string().min(1).default('.atc'),
  TRADIER_BASE_URL: httpUrl().default(`${SIM}/tradier/v1`),
  TRADIER_ACCESS_TOKEN: z.string().min(1).optional(),
  TRADIER_ACCOUNT_ID: z.string().min(1).optional(),
  NEBULA_BASE_URL: httpUrl().default(`${SIM}/nebula`),
  NEBULA_WEBHOOK_KEY: z.string().min(1).optional(),
  NEBULA_ACCOUNT: integer(0).optional(),
  PROJECTX_BASE_URL: httpUrl().default(`${SIM}/projectx`),
  PROJECTX_USERNAME: z.string().min(1).optional(),
  PROJECTX_API_KEY: z.string().min(1).optional(),
  PROJECTX_ACCOUNT_ID: integer(0).optional(),
  ANTHROPIC_BASE_URL: httpUrl().default(`${SIM}/anthropic`),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-5'),
  ANTHROPIC_TIMEOUT_MS: integer(1_000, 600_000).default(60_000),
} as const;

/**
 * The base-URL settings that point every venue client at one simulator (`atc sim` serves each venue
 * under its own path). `atc up`, the CLI's local endpoints and the tests all use this one mapping.
 */
export function simulatorBaseUrls(simulatorUrl: string): Record<string, string> {
  return {
    JUPITER_BASE_URL: `${simulatorUrl}/jupiter`,
    SOLANA_RPC_URL: `${simulatorUrl}/solana`,
    TRADIER_BASE_URL: `${simulatorUrl}/tradier/v1`,
    NEBULA_BASE_URL: `${simulatorUrl}/nebula`,
    PROJECTX_BASE_URL: `${simulatorUrl}/projectx`,
    ANTHROPIC_BASE_URL: `${simulatorUrl}/anthropic`,
  };
}

export type VenueName = 'jupiter' | 'solana' | 'tradier' | 'nebula' | 'projectx' | 'anthropic';
export const ALL_VENUES: readonly VenueName[] = [
  'jupiter',
  'solana',
  'tradier',
  'nebula',
  'projectx',
  'anthropic',
];

/** The keys each venue needs in live mode. Solana's RPC URL often carries a provider key, so it counts. */
export const LIVE_CREDENTIALS: Readonly<Record<VenueName, readonly (keyof typeof venuesEnvironment)[]>> = {
  jupiter: ['JUPITER_API_KEY'],
  solana: ['SOLANA_RPC_URL', 'SOLANA_WALLET_SECRET'],
  tradier: ['TRADIER_ACCESS_TOKEN', 'TRADIER_ACCOUNT_ID'],
  nebula: ['NEBULA_WEBHOOK_KEY', 'NEBULA_ACCOUNT'],
  projectx: ['PROJECTX_USERNAME', 'PROJECTX_API_KEY', 'PROJECTX_ACCOUNT_ID'],
  anthropic: ['ANTHROPIC_API_KEY'],
};

/** What the simulator accepts in paper mode. A throwaway devnet-style key, generated for the simulator only. */
const PAPER_DEFAULTS = {
  JUPITER_API_KEY: 'sim-jupiter-key',
  TRADIER_ACCESS_TOKEN: 'sim-tradier-token',
  TRADIER_ACCOUNT_ID: 'VA000001',
  NEBULA_WEBHOOK_KEY: 'sim-nebula-key',
  NEBULA_ACCOUNT: 465,
  PROJECTX_USERNAME: 'sim-trader',
  PROJECTX_API_KEY: 'sim-projectx-key',
  PROJECTX_ACCOUNT_ID: 465,
  ANTHROPIC_API_KEY: 'sim-anthropic-key',
} as const;

type Raw = z.infer<z.ZodObject<typeof venuesEnvironment>>;
export type VenuesConfig = Omit<Raw, keyof typeof PAPER_DEFAULTS> & {
  readonly [K in keyof typeof PAPER_DEFAULTS]: (typeof PAPER_DEFAULTS)[K] extends number ? number : string;
};

/**
 * Loads the venue keys. In live mode the credentials of `venues` must be set explicitly — a
 * defaulted URL does not count for Solana, whose default is the local simulator.
 */
export function loadVenuesConfig(
  env: Environment = process.env,
  venues: readonly VenueName[] = ALL_VENUES,
): VenuesConfig {
  const raw = loadConfig(z.object(venuesEnvironment), env);
  if (raw.TRADING_MODE === 'live') {
    const missing = venues.flatMap((venue) =>
      LIVE_CREDENTIALS[venue].filter((key) => env[key] === undefined || env[key] === ''),
    );
    if (missing.length > 0) {
      throw new ConfigError(
        [...new Set(missing)].sort().map((key) => `${key}: is required when TRADING_MODE=live`),
      );
    }
    return raw as VenuesConfig;
  }
  const filled: Record<string, unknown> = { ...raw };
  for (const [key, value] of Object.entries(PAPER_DEFAULTS)) filled[key] ??= value;
  // One paper wallet for the whole local company, never a throwaway keypair per process.
  if (!raw.SOLANA_WALLET_SECRET)
    filled.SOLANA_WALLET_FILE = path.resolve(
      raw.SOLANA_WALLET_FILE ?? path.join(raw.ATC_HOME, 'paper-wallet.json'),
    );
  return filled as VenuesConfig;
}
