import { BUDGETS, formatVerdicts, judge, percentile, type WebBenchFigures } from './web-bench-report';

const good: WebBenchFigures = {
  eventsWritten: 10_000,
  eventsReceived: 10_000,
  heapBeforeBytes: 8_000_000,
  heapAfterBytes: 11_000_000,
  domElements: [180, 420, 430],
  domNodes: [400, 900, 910],
  longTasksMs: [50],
  fps: [60, 60, 59, 58, 60, 40],
};

const failing = (figures: WebBenchFigures) =>
  judge(figures)
    .filter((verdict) => !verdict.pass)
    .map((verdict) => verdict.budget);

describe('percentile', () => {
  it('is the nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([60, 59, 58, 57, 10], 0.05)).toBe(10);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('judge', () => {
  it('passes figures within every budget', () => {
    expect(failing(good)).toEqual([]);
  });

  it('fails a lost event', () => {
    expect(failing({ ...good, eventsReceived: 9_999 })).toEqual([
      `every event written reaches the page's store`,
    ]);
  });

  it('fails heap growth of 10 MB or more', () => {
    const heapAfterBytes = good.heapBeforeBytes + BUDGETS.heapGrowthBytes;
    expect(failing({ ...good, heapAfterBytes })).toEqual(['heap growth after GC < 10.0 MB']);
    expect(failing({ ...good, heapAfterBytes: heapAfterBytes - 1 })).toEqual([]);
  });

  it('fails a DOM sample over the bound, and no sample at all', () => {
    expect(failing({ ...good, domElements: [400, 1_501] })).toEqual(['DOM elements ≤ 1500 at every sample']);
    expect(failing({ ...good, domElements: [] })).toEqual(['DOM elements ≤ 1500 at every sample']);
  });

  it('fails one long task over 50 ms', () => {
    expect(failing({ ...good, longTasksMs: [51, 52, 120] })).toEqual(['no long task over 50 ms']);
  });

  it('fails a median frame rate under 55 fps, whatever the best seconds', () => {
    expect(failing({ ...good, fps: [60, 60, 54, 50, 30] })).toEqual(['median frame rate ≥ 55 fps']);
  });
});

describe('formatVerdicts', () => {
  it('prints PASS or FAIL, the budget and the figure, a line each', () => {
    const lines = formatVerdicts(judge({ ...good, longTasksMs: [51, 80] })).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^PASS {2}every event written reaches the page's store +10000 of 10000$/);
    expect(lines[1]).toContain('8.0 MB → 11.0 MB (+3.0 MB)');
    expect(lines[3]).toMatch(/^FAIL {2}no long task over 50 ms +2 long tasks, longest 80 ms$/);
    expect(lines[4]).toContain('median 59.0 fps, p5 40.0 fps (6 s sampled)');
  });
});
