/**
 * `npm run bench:web`: memory and jank of the Live feed in a real browser (issue 18). BENCH_WEB_EVENTS
 * (10,000) events at BENCH_WEB_RATE (50) a second are appended to PostgreSQL as the system appends them
 * (`appendEvent`: insert and NOTIFY) and reach Debian's Chromium through the dashboard's SSE stream,
 * while the Live feed is open at its top. Prints the events the page received, the JavaScript heap
 * before and after the burst (each after a forced GC), the DOM's size sampled every 10 s, the long
 * tasks and the frame rate during the burst, PASS or FAIL against each budget; exits 1 on a FAIL.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { ATC_VERSION, createLogger } from '@atc/platform';
import { appendEvent } from '@atc/trading';
import { pollUntil } from '../monitoring/poll-until';
import { benchEvents } from './bench-events';
import { startBenchDashboard, type BenchDashboard } from './bench-dashboard';
import {
  eventsReceived,
  heapAfterGc,
  LONG_TASK_OBSERVER,
  openDevTools,
  sampleDom,
  startBurst,
  startCpuProfile,
  stopBurst,
  writeCpuProfile,
  type DomSample,
} from './page-probe';
import { describeScheduling, pageRendererPids, readMainThreads } from './renderer-scheduling';
import { readWebBenchConfig, type WebBenchConfig } from './web-bench.config';
import { formatVerdicts, judge } from './web-bench-report';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'atc.cjs');
const SAMPLE_EVERY_MS = 10_000;
/** After the last write, the page has this long to receive the last event. */
const DELIVERY_DEADLINE_MS = 60_000;
const logger = createLogger({ service: 'bench-web', version: ATC_VERSION, level: 'warn', format: 'json' });

function say(text: string): void {
  process.stdout.write(`bench:web: ${text}\n`);
}

/** Signs in with the key, then opens the Live feed from the nav (no reload) once the stream is open. */
async function openFeed(page: Page, dashboard: BenchDashboard): Promise<void> {
  await page.goto(`${dashboard.url}/`);
  const streamOpened = page.waitForResponse((response) => response.url().includes('/api/stream?'), {
    timeout: 30_000,
  });
  await page.locator('input').first().fill(dashboard.apiKey);
  await page.keyboard.press('Enter');
  await page.getByTestId('role').waitFor();
  await streamOpened;
  await page.getByRole('link', { name: 'Live feed' }).click();
  await page.getByText('No event matches yet.').waitFor({ timeout: 30_000 });
  await page.getByTestId('feed-received').waitFor();
}

interface Burst {
  readonly written: number;
  readonly dom: DomSample[];
}

/** Appends the events at the rate, paced by the elapsed time; samples the DOM and prints progress every 10 s. */
async function writeBurst(
  config: WebBenchConfig,
  dashboard: BenchDashboard,
  page: Page,
  cdp: CDPSession,
): Promise<Burst> {
  const total = config.BENCH_WEB_EVENTS;
  const events = [...benchEvents(total)];
  const dom: DomSample[] = [];
  const started = Date.now();
  let nextSample = started + SAMPLE_EVERY_MS;
  let written = 0;
  while (written < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * config.BENCH_WEB_RATE) + 1);
    for (; written < due; written += 1) await appendEvent(dashboard.pool, events[written]!);
    if (Date.now() >= nextSample) {
      nextSample += SAMPLE_EVERY_MS;
      const sample = await sampleDom(page, cdp);
      dom.push(sample);
      const seconds = Math.round((Date.now() - started) / 1000);
      say(
        `${seconds} s: ${written}/${total} written, ${await eventsReceived(page)} received, ${sample.elements} DOM elements`,
      );
    }
    // Pacing the writer (at most a tick between writes), not waiting for a result.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { written, dom };
}

/** Resolves when the page's store has received `count` events (asked from here: the app's CSP forbids eval). */
async function awaitDelivery(page: Page, count: number): Promise<void> {
  await pollUntil(
    `${count} events received by the page`,
    async () => {
      const received = await eventsReceived(page);
      return { done: received >= count, value: received, last: `${received} received` };
    },
    { deadlineMs: DELIVERY_DEADLINE_MS, intervalMs: 100 },
  );
}

async function measure(config: WebBenchConfig, dashboard: BenchDashboard, page: Page): Promise<boolean> {
  await page.addInitScript(LONG_TASK_OBSERVER);
  await openFeed(page, dashboard);
  const cdp = await openDevTools(page);
  const heapBeforeBytes = await heapAfterGc(cdp);
  const domAtStart = await sampleDom(page, cdp);
  say(
    `feed open, ${domAtStart.elements} DOM elements; writing ${config.BENCH_WEB_EVENTS} events at ${config.BENCH_WEB_RATE}/s`,
  );
  const profile = config.BENCH_WEB_CPU_PROFILE;
  if (profile) await startCpuProfile(cdp);
  const renderers = await pageRendererPids(page.context().browser()!);
  const threadBefore = readMainThreads(renderers);
  const burstStarted = Date.now();
  await startBurst(page);
  const burst = await writeBurst(config, dashboard, page, cdp);
  await awaitDelivery(page, burst.written);
  const probe = await stopBurst(page);
  const scheduling = describeScheduling(threadBefore, readMainThreads(renderers), Date.now() - burstStarted);
  if (profile) await writeCpuProfile(cdp, path.resolve(profile));
  burst.dom.push(await sampleDom(page, cdp));
  const heapAfterBytes = await heapAfterGc(cdp);
  const domAtEnd = await sampleDom(page, cdp);
  const scrollTop = Number(await page.evaluate(`document.querySelector('.feed')?.scrollTop ?? -1`));
  const verdicts = judge({
    eventsWritten: burst.written,
    eventsReceived: await eventsReceived(page),
    heapBeforeBytes,
    heapAfterBytes,
    domElements: burst.dom.map((sample) => sample.elements),
    domNodes: burst.dom.map((sample) => sample.nodes),
    longTasksMs: probe.longTasksMs,
    fps: probe.fps,
  });
  process.stdout.write(
    [
      '',
      `bench:web — ${burst.written} events at ${config.BENCH_WEB_RATE}/s into the Live feed (Chromium ${page.context().browser()?.version()}, 1280 × 800)`,
      formatVerdicts(verdicts),
      ...(probe.longTasksSeen.length > 0
        ? [`long tasks (the longest): ${probe.longTasksSeen.join(', ')}`]
        : []),
      `${scheduling}; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`,
      `after a GC, before and after the burst: ${domAtStart.elements} → ${domAtEnd.elements} DOM elements, ${domAtStart.nodes} → ${domAtEnd.nodes} CDP Nodes`,
      `(${probe.longTasksBeforeMs.length} long tasks while loading and signing in, longest ${Math.round(Math.max(0, ...probe.longTasksBeforeMs))} ms; the feed's scrollTop at the end: ${scrollTop})`,
      '',
    ].join('\n'),
  );
  return verdicts.every((verdict) => verdict.pass);
}

async function main(): Promise<void> {
  const config = readWebBenchConfig();
  if (!existsSync(config.CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${config.CHROMIUM_PATH}: apt-get install chromium`);
  }
  // Always built: a benchmark of a stale web build would measure code that is no longer there.
  say('building (npm run build)');
  if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' }).status !== 0) {
    throw new Error('npm run build failed');
  }
  const dashboard = await startBenchDashboard({ bundle: BUNDLE, logger });
  const browser = await chromium.launch({ executablePath: config.CHROMIUM_PATH, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    if (!(await measure(config, dashboard, page))) process.exitCode = 1;
  } finally {
    await browser.close();
    await dashboard.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:web: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
