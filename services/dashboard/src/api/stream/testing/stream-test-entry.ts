/**
 * A dashboard process serving only the live stream, for the process tests (SIGKILL and restart, a
 * second replica, RSS under a slow reader). Reads DATABASE_URL and the SSE_* keys; `--page-size N`.
 * Prints `stream listening <port>`; on SIGUSR2, `rss#<n> <bytes>` after a full collection.
 * @module
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createLogger, createPool, loadConfig, roleEnvironment } from '@atc/platform';
import { sseEnvironment } from '../../../dashboard.config';
import { startStreamTestServer } from './stream-test-server';

const { values } = parseArgs({ options: { 'page-size': { type: 'string', default: '500' } } });

async function run(): Promise<void> {
  const config = loadConfig(z.object({ ...roleEnvironment, ...sseEnvironment }), process.env);
  const logger = createLogger({
    service: 'dashboard',
    version: 'test',
    level: config.LOG_LEVEL,
    format: 'json',
  });
  const pool = createPool({ config, applicationName: 'atc-dashboard', logger });
  const server = await startStreamTestServer({
    pool,
    databaseUrl: config.DATABASE_URL,
    logger,
    config,
    pageSize: Number(values['page-size']),
  });
  process.stdout.write(`stream listening ${server.port}\n`);
  // The RSS test asks for the resident size after a full collection (node --expose-gc), so garbage
  // not yet collected does not count as memory held.
  let measurement = 0;
  process.on('SIGUSR2', () => {
    (globalThis as { gc?: () => void }).gc?.();
    measurement += 1;
    process.stdout.write(`rss#${measurement} ${process.memoryUsage().rss}\n`);
  });
}

run().catch((error: unknown) => {
  process.stderr.write(`stream test entry failed: ${String(error)}\n`);
  process.exit(1);
});
