import { formatReport, median, pairedRatios, summarise, type ResultRow } from './bench-report';

const run = (
  system: string,
  repetition: number,
  stepsPerSecond: number,
  p99Ms: number,
  extra: Partial<ResultRow> = {},
): ResultRow => ({
  system,
  workers: 8,
  repetition,
  measured: 3_000,
  stepsPerSecond,
  p50Ms: p99Ms / 2,
  p99Ms,
  duplicates: 0,
  executed: 3_500,
  untimed: 0,
  lost: 0,
  nodeMsPerJob: 0.1,
  serverMsPerJob: 0.2,
  load: 1,
  enqueued: 3_500,
  drained: true,
  ...extra,
});

describe('bench:queue report', () => {
  it('median takes the middle value, or the mean of the two middle ones, ignoring NaN', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it('summarises each system and worker count over its runs: medians, range, summed failures', () => {
    const [ours] = summarise([
      run('atc step queue', 1, 5_000, 20),
      run('atc step queue', 2, 7_000, 30, { duplicates: 1 }),
      run('atc step queue', 3, 6_000, 18, { lost: 2, drained: false }),
    ]);
    expect(ours).toMatchObject({
      runs: 3,
      stepsPerSecond: 6_000,
      slowestStepsPerSecond: 5_000,
      fastestStepsPerSecond: 7_000,
      p99Ms: 20,
      duplicates: 1,
      lost: 2,
      drained: false,
    });
  });

  it('pairs each of our runs with the same repetition of the other system', () => {
    const rows = [
      run('atc step queue', 1, 6_000, 20),
      run('graphile-worker default', 1, 2_000, 10),
      run('atc step queue', 2, 5_000, 20),
      run('graphile-worker default', 2, 2_500, 10),
      run('atc step queue', 3, 9_000, 20),
      run('graphile-worker default', 3, 2_250, 10),
    ];
    expect(pairedRatios(rows, 'graphile-worker default', 8)).toEqual({ ratios: [3, 2, 4], median: 3 });
  });

  it('the verdict needs the median ratio, the median p99 and no duplicate or lost job', () => {
    const report = (ours: ResultRow[]) =>
      formatReport({
        rows: [
          ...ours,
          run('graphile-worker default', 1, 2_000, 10),
          run('graphile-worker default', 2, 2_000, 10),
        ],
        systems: [],
        environment: [],
      });
    expect(report([run('atc step queue', 1, 6_000, 20), run('atc step queue', 2, 6_400, 22)])).toContain(
      '3.10× graphile-worker default (needs ≥ 3×), p99 21.0 ms (needs < 25 ms), 0 duplicates, 0 lost — MET',
    );
    expect(report([run('atc step queue', 1, 6_000, 20), run('atc step queue', 2, 5_000, 22)])).toContain(
      'NOT MET',
    );
    expect(report([run('atc step queue', 1, 6_000, 20), run('atc step queue', 2, 6_400, 40)])).toContain(
      'NOT MET',
    );
    expect(
      report([run('atc step queue', 1, 6_000, 20), run('atc step queue', 2, 6_400, 22, { lost: 1 })]),
    ).toContain('NOT MET');
  });
});
