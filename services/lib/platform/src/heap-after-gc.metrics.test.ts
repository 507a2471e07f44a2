import { runInNewContext } from 'node:vm';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { Registry } from 'prom-client';
import { isMajorGc, registerHeapAfterGcMetric } from './heap-after-gc.metrics';

const gcEntry = (kind: number) => ({ entryType: 'gc', detail: { kind } }) as unknown as PerformanceEntry;

describe('heap after a major GC', () => {
  it('tells a major collection from a scavenge', () => {
    expect(isMajorGc(gcEntry(constants.NODE_PERFORMANCE_GC_MAJOR))).toBe(true);
    expect(isMajorGc(gcEntry(constants.NODE_PERFORMANCE_GC_MINOR))).toBe(false);
  });

  it('reads 0 before a major collection and the heap used after one', async () => {
    const registry = new Registry();
    registerHeapAfterGcMetric(registry, 'atc_');
    const before = await registry.getSingleMetricAsString('atc_nodejs_heap_used_after_major_gc_bytes');
    expect(before).toMatch(/^atc_nodejs_heap_used_after_major_gc_bytes 0$/m);
    // A major GC on demand: --expose-gc set at run time puts gc() on contexts made after it.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const seen = new Promise<void>((resolve) => {
      const observer = new PerformanceObserver((list) => {
        if (list.getEntries().some(isMajorGc)) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe({ entryTypes: ['gc'] });
    });
    gc();
    await seen;
    const after = await registry.getSingleMetricAsString('atc_nodejs_heap_used_after_major_gc_bytes');
    const value = Number(/^atc_nodejs_heap_used_after_major_gc_bytes (\d+)/m.exec(after)?.[1]);
    expect(value).toBeGreaterThan(1024 * 1024);
  });
});
