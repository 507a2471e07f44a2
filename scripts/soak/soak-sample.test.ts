import { connectionsOf, csvHeader, csvLine, parseProcessMetrics } from './soak-sample';

const EXPOSITION = `# HELP atc_process_resident_memory_bytes Resident memory size in bytes.
# TYPE atc_process_resident_memory_bytes gauge
atc_process_resident_memory_bytes{service="heartbeat"} 123456789
# TYPE atc_nodejs_heap_size_used_bytes gauge
atc_nodejs_heap_size_used_bytes{service="heartbeat"} 45678901
atc_nodejs_heap_used_after_major_gc_bytes{service="heartbeat"} 40000000
atc_nodejs_eventloop_lag_p99_seconds{service="heartbeat"} 0.012
atc_nodejs_active_handles_total{service="heartbeat"} 17
atc_nodejs_active_handles{service="heartbeat",type="Socket"} 9
`;

describe('parseProcessMetrics', () => {
  it('reads the default metrics the soak samples', () => {
    expect(parseProcessMetrics(EXPOSITION)).toEqual({
      rssBytes: 123456789,
      heapUsedBytes: 45678901,
      heapAfterGcBytes: 40000000,
      eventLoopLagP99Seconds: 0.012,
      activeHandles: 17,
    });
  });

  it('leaves a missing metric undefined, and the heap after GC before the first major GC', () => {
    const figures = parseProcessMetrics('atc_nodejs_heap_used_after_major_gc_bytes 0\n');
    expect(figures.heapUsedBytes).toBeUndefined();
    expect(figures.heapAfterGcBytes).toBeUndefined();
  });
});

describe('connectionsOf', () => {
  const byApplication = new Map([
    ['atc-worker-crypto', 3],
    ['atc-worker-crypto-listen', 1],
    ['atc-worker-cryptonite', 5],
    ['atc-up', 2],
  ]);

  it("counts the role's pool and its listen connection, nothing that only shares a prefix", () => {
    expect(connectionsOf('worker-crypto', byApplication)).toBe(4);
  });

  it('is undefined for a role with no connection', () => {
    expect(connectionsOf('sim', byApplication)).toBeUndefined();
  });
});

describe('csv', () => {
  it('writes one line per sample under the header, empty for an unknown figure', () => {
    const line = csvLine({
      time: '2026-12-08T01:00:00.000Z',
      elapsedSeconds: 10,
      role: 'sim',
      rssBytes: 1,
      heapUsedBytes: 2,
      heapAfterGcBytes: undefined,
      eventLoopLagP99Seconds: 0.5,
      activeHandles: 3,
      dbConnections: undefined,
    });
    expect(csvHeader().split(',')).toHaveLength(line.split(',').length);
    expect(line).toBe('2026-12-08T01:00:00.000Z,10,sim,1,2,,0.5,3,\n');
  });
});
