/**
 * What bench:web measures inside the page and through Chrome's DevTools protocol: long tasks (a
 * `PerformanceObserver` for `longtask`, buffered, installed before the app's first script), frames a
 * second (a `requestAnimationFrame` loop during the burst), the DOM's size, and the JavaScript heap
 * after a forced GC. The in-page code is passed as strings: these scripts are typed without the DOM's
 * types, and what comes back is parsed.
 * @module
 */
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { z } from 'zod';

/** Installed with `page.addInitScript`: it runs in every document before the app's scripts. */
export const LONG_TASK_OBSERVER = `
  window.__webBench = { longTasks: [], fps: [], burstStart: null, sampling: false };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      window.__webBench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
`;

const START_BURST = `(() => {
  const probe = window.__webBench;
  probe.burstStart = performance.now();
  probe.sampling = true;
  let windowStart = performance.now();
  let frames = 0;
  const frame = (now) => {
    if (!probe.sampling) return;
    frames += 1;
    if (now - windowStart >= 1000) {
      probe.fps.push((frames * 1000) / (now - windowStart));
      frames = 0;
      windowStart = now;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})()`;

const STOP_BURST = `(() => {
  const probe = window.__webBench;
  probe.sampling = false;
  return { burstStart: probe.burstStart, fps: probe.fps, longTasks: probe.longTasks };
})()`;

const LONG_TASKS_SHOWN = 12;

const BurstResult = z.object({
  burstStart: z.number(),
  fps: z.array(z.number()),
  longTasks: z.array(z.object({ start: z.number(), duration: z.number() })),
});

export interface BurstFigures {
  readonly fps: number[];
  /** Long tasks that started during the burst, in ms. */
  readonly longTasksMs: number[];
  /** The longest of them (at most 12), as `<duration> ms at <s into the burst> s` in time order. */
  readonly longTasksSeen: string[];
  /** Long tasks before it (loading the app, signing in, opening the feed): printed, not judged. */
  readonly longTasksBeforeMs: number[];
}

export async function startBurst(page: Page): Promise<void> {
  await page.evaluate(START_BURST);
}

export async function stopBurst(page: Page): Promise<BurstFigures> {
  const result = BurstResult.parse(await page.evaluate(STOP_BURST));
  const during = result.longTasks.filter((task) => task.start >= result.burstStart);
  return {
    fps: result.fps,
    longTasksMs: during.map((task) => task.duration),
    longTasksSeen: [...during]
      .sort((a, b) => b.duration - a.duration)
      .slice(0, LONG_TASKS_SHOWN)
      .sort((a, b) => a.start - b.start)
      .map(
        (task) =>
          `${Math.round(task.duration)} ms at ${((task.start - result.burstStart) / 1000).toFixed(1)} s`,
      ),
    longTasksBeforeMs: result.longTasks
      .filter((task) => task.start < result.burstStart)
      .map((t) => t.duration),
  };
}

export interface DomSample {
  readonly elements: number;
  readonly nodes: number;
}

async function metric(cdp: CDPSession, name: 'JSHeapUsedSize' | 'Nodes'): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const found = metrics.find((entry) => entry.name === name);
  if (!found) throw new Error(`Performance.getMetrics has no ${name}`);
  return found.value;
}

/** The DOM's elements (as the page counts them) and nodes (as Chrome counts them). */
export async function sampleDom(page: Page, cdp: CDPSession): Promise<DomSample> {
  const elements = z.number().parse(await page.evaluate(`document.getElementsByTagName('*').length`));
  return { elements, nodes: await metric(cdp, 'Nodes') };
}

/** JSHeapUsedSize after a full garbage collection (twice: the first may leave finalised objects behind). */
export async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return metric(cdp, 'JSHeapUsedSize');
}

/** Starts the page's sampling CPU profiler (for BENCH_WEB_CPU_PROFILE). */
export async function startCpuProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
}

/** Stops it and writes the profile where DevTools' Performance panel opens it. */
export async function writeCpuProfile(cdp: CDPSession, file: string): Promise<void> {
  const { profile } = await cdp.send('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
}

/** A DevTools session on the page with the Performance domain on. */
export async function openDevTools(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return cdp;
}

/** The feed's "N received live" counter: the events the page's stream store received. */
export async function eventsReceived(page: Page): Promise<number> {
  const text = await page.getByTestId('feed-received').textContent();
  const match = /^(\d+) received live$/.exec(text ?? '');
  if (!match) throw new Error(`the feed's counter reads ${JSON.stringify(text)}`);
  return Number(match[1]);
}
