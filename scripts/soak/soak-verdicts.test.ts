import type { SoakSample } from './soak-sample';
import { roleVerdicts } from './soak-verdicts';

const MIB = 1024 * 1024;

function samples(
  role: string,
  heapUsed: (i: number) => number,
  afterGc: (i: number) => number | undefined,
): SoakSample[] {
  return Array.from({ length: 61 }, (_, i) => ({
    time: new Date(i * 10_000).toISOString(),
    elapsedSeconds: i * 10,
    role,
    rssBytes: undefined,
    heapUsedBytes: heapUsed(i),
    heapAfterGcBytes: afterGc(i),
    eventLoopLagP99Seconds: undefined,
    activeHandles: undefined,
    dbConnections: undefined,
  }));
}

describe('roleVerdicts', () => {
  const options = { warmupMinutes: 2, thresholdMibPerHour: 10 };

  it('judges the heap after GC when there is one, whatever the saw-tooth of heap used', () => {
    // Heap used climbs 30 MiB in 10 minutes (young garbage not yet collected); what survives GC is flat.
    const [verdict] = roleVerdicts(
      samples(
        'heartbeat',
        (i) => 30 * MIB + (i / 2) * MIB,
        () => 30 * MIB,
      ),
      options,
    );
    expect(verdict).toMatchObject({ role: 'heartbeat', series: 'after GC', verdict: { verdict: 'no leak' } });
  });

  it('suspects a leak when what survives GC grows, and leaves the warm-up out', () => {
    const [verdict] = roleVerdicts(
      samples(
        'sim',
        () => 40 * MIB,
        (i) => (i < 12 ? 90 * MIB : 30 * MIB + (i / 6) * MIB),
      ),
      options,
    );
    expect(verdict).toMatchObject({
      series: 'after GC',
      verdict: { verdict: 'leak suspected', samples: 49 },
    });
    expect(verdict!.verdict!.slope / MIB).toBeCloseTo(60, 5);
  });

  it('falls back to heap used before any major GC, and names the series', () => {
    const [verdict] = roleVerdicts(
      samples(
        'dashboard',
        () => 30 * MIB,
        () => undefined,
      ),
      options,
    );
    expect(verdict).toMatchObject({ series: 'used', verdict: { verdict: 'no leak' } });
  });

  it('gives no verdict without three samples after the warm-up', () => {
    const few = samples(
      'sim',
      () => 1,
      () => undefined,
    ).slice(0, 13);
    expect(roleVerdicts(few, options)[0]).toMatchObject({
      verdict: undefined,
      missing: 'only 1 samples after the warm-up',
    });
  });
});
