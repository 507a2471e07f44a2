/**
 * For contract tests: the real simulator on 127.0.0.1 (port 0) and the real clients pointed at it.
 * Backoff sleeps are recorded instead of waited; `advance` moves the simulator's clock.
 * @module
 */
import { Keypair } from '@solana/web3.js';
import { Registry } from 'prom-client';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../simulator';
import { createVenueClients, loadVenuesConfig, simulatorBaseUrls, type VenueClients } from '@atc/venues';

export interface SimHarness {
  readonly sim: RunningSimulator;
  readonly clients: VenueClients;
  readonly registry: Registry;
  readonly sleeps: number[];
  advance(ticks: number): Promise<void>;
  addFault(rule: Record<string, unknown>): Promise<void>;
  /** Queues scripted Anthropic answers (anthropic-script.ts), consumed one per request. */
  scriptAnthropic(responses: readonly Record<string, unknown>[]): Promise<void>;
  journal(): Promise<{ venue: string; clientOrderId: string | null; outcome: string }[]>;
  close(): Promise<void>;
}

export async function startHarness(
  options: Partial<StartSimulatorOptions> = {},
  env: Record<string, string> = {},
): Promise<SimHarness> {
  const sim = await startSimulator({ port: 0, seed: 42, ...options });
  const config = loadVenuesConfig({
    ...simulatorBaseUrls(sim.url),
    VENUE_TIMEOUT_MS: '2000',
    // A wallet of its own per harness, in memory: tests never touch the local company's wallet file.
    SOLANA_WALLET_SECRET: JSON.stringify([...Keypair.generate().secretKey]),
    ...env,
  });
  const registry = new Registry();
  const sleeps: number[] = [];
  const clients = createVenueClients({
    config,
    registry,
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  };
  return {
    sim,
    clients,
    registry,
    sleeps,
    advance: (ticks) => post('/_sim/clock', { ticks }),
    addFault: (rule) => post('/_sim/faults', rule),
    scriptAnthropic: (responses) => post('/_sim/anthropic/script', { responses }),
    journal: async () =>
      (
        (await (await fetch(`${sim.url}/_sim/orders`)).json()) as {
          orders: { venue: string; clientOrderId: string | null; outcome: string }[];
        }
      ).orders,
    close: async () => {
      clients.shutdown();
      await sim.close();
    },
  };
}
