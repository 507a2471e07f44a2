/**
 * Builds every venue client from config, each with its own breaker named after the venue, sharing
 * one metrics registry. Called from a role's `main.ts` (the composition root), never deeper.
 * @module
 */
import type { Keypair } from '@solana/web3.js';
import {
  ConfigError,
  createResilientHttp,
  createVenueBreaker,
  DEFAULT_RETRY_POLICY,
  type Logger,
  type ReadinessCheck,
  type Sleep,
  type VenueBreaker,
} from '@atc/platform';
import type { Registry } from 'prom-client';
import { AnthropicClient, isAnthropicBusinessRejection } from './anthropic.client';
import { JupiterClient } from './jupiter.client';
import { NebulaClient } from './nebula.client';
import { ProjectXClient } from './projectx.client';
import { SolanaRpcClient } from './solana-rpc.client';
import { loadOrCreateWalletFile } from './paper-wallet';
import { keypairFromSecret } from './solana-signer';
import { TradierClient } from './tradier.client';
import { ALL_VENUES, type VenueName, type VenuesConfig } from './venues.config';

export interface VenueClients {
  readonly breakers: Readonly<Record<VenueName, VenueBreaker>>;
  readonly jupiter: JupiterClient;
  /** JUPITER_PRIORITY_FEE_LAMPORTS: the base of every swap's priority fee (the crypto venue adds a per-order offset). */
  readonly jupiterPriorityFeeLamports: number;
  readonly solana: SolanaRpcClient;
  /**
   * From SOLANA_WALLET_SECRET; in paper mode without one, the shared wallet file (SOLANA_WALLET_FILE,
   * default ATC_HOME/paper-wallet.json), made on first use. Read lazily: a role that never trades
   * crypto never touches it.
   */
  readonly wallet: Keypair;
  readonly tradier: TradierClient;
  readonly nebula: NebulaClient;
  readonly projectx: ProjectXClient;
  readonly anthropic: AnthropicClient;
  /** One readiness check per venue breaker, named `breaker_<venue>`. */
  readinessChecks(venues?: readonly VenueName[]): Record<string, ReadinessCheck>;
  shutdown(): void;
}

export interface VenueClientsOptions {
  readonly config: VenuesConfig;
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** Injected in tests so backoff does not wait. */
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

export function createVenueClients(options: VenueClientsOptions): VenueClients {
  const { config, registry, logger } = options;
  const breakers = Object.fromEntries(
    ALL_VENUES.map((venue) => [
      venue,
      createVenueBreaker({
        venue,
        failureThreshold: config.BREAKER_FAILURE_THRESHOLD,
        resetTimeoutMs: config.BREAKER_RESET_SECONDS * 1000,
        ...(venue === 'anthropic' ? { isBusinessRejection: isAnthropicBusinessRejection } : {}),
        ...(registry ? { registry } : {}),
        ...(logger ? { logger } : {}),
      }),
    ]),
  ) as Record<VenueName, VenueBreaker>;
  const http = (venue: VenueName, baseUrl: string) =>
    createResilientHttp({
      venue,
      baseUrl,
      breaker: breakers[venue],
      timeoutMs: config.VENUE_TIMEOUT_MS,
      retry: { ...DEFAULT_RETRY_POLICY, maxRetries: config.VENUE_MAX_RETRIES },
      ...(registry ? { registry } : {}),
      ...(logger ? { logger: logger.child({ venue }) } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  const nebulaHttp = http('nebula', config.NEBULA_BASE_URL);
  let wallet: Keypair | undefined;
  const loadWallet = (): Keypair => {
    if (config.SOLANA_WALLET_SECRET) return keypairFromSecret(config.SOLANA_WALLET_SECRET);
    if (config.SOLANA_WALLET_FILE) return loadOrCreateWalletFile(config.SOLANA_WALLET_FILE);
    throw new ConfigError(['SOLANA_WALLET_SECRET: is required (or SOLANA_WALLET_FILE in paper mode)']);
  };
  return {
    breakers,
    jupiter: new JupiterClient({
      http: http('jupiter', config.JUPITER_BASE_URL),
      apiKey: config.JUPITER_API_KEY,
    }),
    jupiterPriorityFeeLamports: config.JUPITER_PRIORITY_FEE_LAMPORTS,
    solana: new SolanaRpcClient({ http: http('solana', config.SOLANA_RPC_URL) }),
    get wallet() {
      wallet ??= loadWallet();
      return wallet;
    },
    tradier: new TradierClient({
      http: http('tradier', config.TRADIER_BASE_URL),
      accessToken: config.TRADIER_ACCESS_TOKEN,
      accountId: config.TRADIER_ACCOUNT_ID,
    }),
    nebula: new NebulaClient({ webhook: nebulaHttp, webhookKey: config.NEBULA_WEBHOOK_KEY }),
    projectx: new ProjectXClient({
      http: http('projectx', config.PROJECTX_BASE_URL),
      userName: config.PROJECTX_USERNAME,
      apiKey: config.PROJECTX_API_KEY,
      accountId: config.PROJECTX_ACCOUNT_ID,
    }),
    anthropic: new AnthropicClient({
      apiKey: config.ANTHROPIC_API_KEY,
      baseUrl: config.ANTHROPIC_BASE_URL,
      model: config.ANTHROPIC_MODEL,
      timeoutMs: config.ANTHROPIC_TIMEOUT_MS,
      maxRetries: config.VENUE_MAX_RETRIES,
      breaker: breakers.anthropic,
      ...(registry ? { registry } : {}),
    }),
    readinessChecks(venues = ALL_VENUES) {
      return Object.fromEntries(
        venues.map((venue) => [`breaker_${venue}`, breakers[venue].readinessCheck()]),
      );
    },
    shutdown() {
      for (const breaker of Object.values(breakers)) breaker.shutdown();
    },
  };
}
