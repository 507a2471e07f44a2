/**
 * bench:web's figures, its budgets (issue 18) and the table it prints: a pure module, so the rules
 * are unit-tested apart from the browser.
 * @module
 */

/** What the run measured. */
export interface WebBenchFigures {
  readonly eventsWritten: number;
  /** Events the page's stream store received (the feed's "received live" counter). */
  readonly eventsReceived: number;
  /** JSHeapUsedSize after a forced GC, before the burst and after it. */
  readonly heapBeforeBytes: number;
  readonly heapAfterBytes: number;
  /** `document.getElementsByTagName('*').length`, sampled during the burst. */
  readonly domElements: readonly number[];
  /** CDP Performance.getMetrics `Nodes` (elements, text and comments), sampled with the elements. */
  readonly domNodes: readonly number[];
  /** Durations of the long tasks that started during the burst. */
  readonly longTasksMs: readonly number[];
  /** Frames a second, one figure for each second of the burst. */
  readonly fps: readonly number[];
}

export const BUDGETS = {
  /** "JavaScript heap growth < 10 MB after a forced GC". */
  heapGrowthBytes: 10_000_000,
  /**
   * "DOM node count bounded": the virtualized list keeps a viewport of rows plus its overscan (a row
   * is 6 elements; some 40 rows); every row of the 2,000-event buffer in the DOM would be 12,000.
   */
  domElementsMax: 1_500,
  /** "no long task over 50 ms". */
  longTaskMs: 50,
  /** "median ≥ 55 fps". */
  fpsMedian: 55,
} as const;

export interface Verdict {
  readonly budget: string;
  readonly figure: string;
  readonly pass: boolean;
}

/** The nearest-rank percentile of `values` (`fraction` 0.5 is the median); NaN when there are none. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1]!;
}

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;
const range = (values: readonly number[]) =>
  values.length === 0 ? 'no sample' : `min ${Math.min(...values)}, max ${Math.max(...values)}`;

/** Each budget with the figure it is judged on. */
export function judge(figures: WebBenchFigures): Verdict[] {
  const growth = figures.heapAfterBytes - figures.heapBeforeBytes;
  const longest = figures.longTasksMs.length === 0 ? 0 : Math.max(...figures.longTasksMs);
  const median = percentile(figures.fps, 0.5);
  return [
    {
      budget: `every event written reaches the page's store`,
      figure: `${figures.eventsReceived} of ${figures.eventsWritten}`,
      pass: figures.eventsReceived === figures.eventsWritten,
    },
    {
      budget: `heap growth after GC < ${mb(BUDGETS.heapGrowthBytes)}`,
      figure: `${mb(figures.heapBeforeBytes)} → ${mb(figures.heapAfterBytes)} (${growth < 0 ? '' : '+'}${mb(growth)})`,
      pass: growth < BUDGETS.heapGrowthBytes,
    },
    {
      budget: `DOM elements ≤ ${BUDGETS.domElementsMax} at every sample`,
      figure: `${range(figures.domElements)} (CDP Nodes ${range(figures.domNodes)})`,
      pass: figures.domElements.length > 0 && Math.max(...figures.domElements) <= BUDGETS.domElementsMax,
    },
    {
      budget: `no long task over ${BUDGETS.longTaskMs} ms`,
      figure: `${figures.longTasksMs.length} long tasks, longest ${Math.round(longest)} ms`,
      pass: longest <= BUDGETS.longTaskMs,
    },
    {
      budget: `median frame rate ≥ ${BUDGETS.fpsMedian} fps`,
      figure: `median ${median.toFixed(1)} fps, p5 ${percentile(figures.fps, 0.05).toFixed(1)} fps (${figures.fps.length} s sampled)`,
      pass: median >= BUDGETS.fpsMedian,
    },
  ];
}

/** The table bench:web prints: one line a budget, PASS or FAIL. */
export function formatVerdicts(verdicts: readonly Verdict[]): string {
  const width = Math.max(...verdicts.map((verdict) => verdict.budget.length));
  return verdicts
    .map((verdict) => `${verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.budget.padEnd(width)}  ${verdict.figure}`)
    .join('\n');
}
