/**
 * How much CPU the page's main thread used during the burst, and how long it waited for one: the
 * kernel's scheduler statistics of the renderer's main thread (`/proc/<pid>/task/<pid>/schedstat`:
 * time on a CPU, time waiting on the run queue, in ns). A long task the page observes is wall time;
 * on a busy machine a task of 5 ms of work can take 70 ms because the thread was not scheduled, and
 * these figures tell the two apart (Linux only).
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export interface ThreadTimes {
  readonly cpuNs: number;
  readonly waitNs: number;
}

/** `/proc/…/schedstat`: "<ns on a CPU> <ns waiting on a run queue> <timeslices>". */
export function parseSchedstat(text: string): ThreadTimes {
  const match = /^(\d+) (\d+) \d+\s*$/.exec(text);
  if (!match) throw new Error(`schedstat reads ${JSON.stringify(text)}`);
  return { cpuNs: Number(match[1]), waitNs: Number(match[2]) };
}

/** The main threads' times, summed over `pids`. */
export function readMainThreads(pids: readonly number[]): ThreadTimes {
  return pids
    .map((pid) => parseSchedstat(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')))
    .reduce((sum, times) => ({ cpuNs: sum.cpuNs + times.cpuNs, waitNs: sum.waitNs + times.waitNs }));
}

/**
 * The browser's renderers of web pages: its renderer processes but those of its own UI
 * (`--top-chrome-webui`). With one page open a spare renderer may idle beside the page's; its
 * figures add next to nothing, and DevTools does not say which renderer holds which page.
 */
export async function pageRendererPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    const pids = processInfo
      .filter((process) => process.type === 'renderer')
      .map((process) => process.id)
      .filter((pid) => !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--top-chrome-webui'));
    if (pids.length === 0) throw new Error('Chromium reports no renderer process');
    return pids;
  } finally {
    await cdp.detach();
  }
}

/** "main thread 18% of a CPU, waited 9.4 s for one": the difference between two readings over `wallMs`. */
export function describeScheduling(before: ThreadTimes, after: ThreadTimes, wallMs: number): string {
  const busy = (after.cpuNs - before.cpuNs) / 1e6 / wallMs;
  const waitedS = (after.waitNs - before.waitNs) / 1e9;
  return `the page's main thread was on a CPU ${(busy * 100).toFixed(0)}% of the burst and waited ${waitedS.toFixed(1)} s for one`;
}
