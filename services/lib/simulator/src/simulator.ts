/**
 * The venue simulator: one HTTP server, one prefix per API, so a client's base URL is all that
 * changes between paper and live. State is in memory; prices come from a seeded model driven by the
 * simulator's clock.
 * @module
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '@atc/platform';
import { anthropicRoutes } from './anthropic.routes';
import { controlRoutes } from './control.routes';
import { jupiterRoutes } from './jupiter.routes';
import { nebulaRoutes } from './nebula.routes';
import { projectxRoutes } from './projectx.routes';
import { createSimContext, type SimContext, type SimOptions } from './sim-context';
import { solanaRoutes } from './solana.routes';
import { SolanaLedger } from './solana-ledger';
import { tradierRoutes } from './tradier.routes';

export interface SimulatorOptions extends SimOptions {
  /** The secret the Nebula webhook expects. */
  readonly nebulaWebhookKey?: string;
  readonly logger?: Logger;
}

export interface Simulator {
  readonly app: express.Express;
  readonly context: SimContext;
  readonly ledger: SolanaLedger;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const context = createSimContext(options);
  const ledger = new SolanaLedger(context);
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false, limit: '256kb' }));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'sim', seed: context.seed, tick: context.clock.tick });
  });
  app.use('/jupiter', jupiterRoutes(context, ledger));
  app.use('/solana', solanaRoutes(context, ledger));
  app.use('/tradier', tradierRoutes(context));
  app.use('/projectx', projectxRoutes(context));
  app.use('/nebula', nebulaRoutes(context, options.nebulaWebhookKey));
  app.use('/anthropic', anthropicRoutes(context));
  app.use('/_sim', controlRoutes(context));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such simulator route' } });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'invalid_input', message: 'malformed request body' } });
      return;
    }
    options.logger?.error({ err: error, path: req.path }, 'simulator route failed');
    res.status(500).json({ error: { code: 'internal', message: 'simulator route failed' } });
  });
  return { app, context, ledger };
}

export interface StartSimulatorOptions extends SimulatorOptions {
  readonly port: number;
  readonly host?: string;
  /** Advance the clock one tick every this many wall-clock ms; 0 (default) leaves it to `POST /_sim/clock`. */
  readonly tickIntervalMs?: number;
}

export interface RunningSimulator extends Simulator {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: append `/tradier/v1`, `/jupiter`, `/solana`, … for each client. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startSimulator(options: StartSimulatorOptions): Promise<RunningSimulator> {
  const simulator = createSimulator(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = simulator.app.listen(options.port, host, (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const timer =
    options.tickIntervalMs && options.tickIntervalMs > 0
      ? setInterval(() => simulator.context.clock.advance(1), options.tickIntervalMs)
      : undefined;
  timer?.unref();
  options.logger?.info({ port, host, seed: options.seed }, 'venue simulator listening');
  return {
    ...simulator,
    server,
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
