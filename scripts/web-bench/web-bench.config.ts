/**
 * bench:web's settings, read once from the environment: how many events, how fast, and where
 * Chromium is. The defaults are issue 18's figures: 10,000 events at 50 a second.
 * @module
 */
import { z } from 'zod';
import { integer, loadConfig } from '@atc/platform';

const webBenchEnvironment = z.object({
  /** Events written into the feed. */
  BENCH_WEB_EVENTS: integer(1, 1_000_000).default(10_000),
  /** Events written a second. */
  BENCH_WEB_RATE: integer(1, 10_000).default(50),
  /** A file to write the page's CPU profile of the burst to (`.cpuprofile`, opened by DevTools). */
  BENCH_WEB_CPU_PROFILE: z.string().min(1).optional(),
  /** Debian's Chromium (`apt-get install chromium`), as npm run screenshots uses it. */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
});
export type WebBenchConfig = z.infer<typeof webBenchEnvironment>;

export function readWebBenchConfig(env: NodeJS.ProcessEnv = process.env): WebBenchConfig {
  return loadConfig(webBenchEnvironment, env);
}
