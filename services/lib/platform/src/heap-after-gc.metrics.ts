/**
 * `atc_nodejs_heap_used_after_major_gc_bytes`: V8's heap used as a major (mark-compact) collection
 * left it. Heap used sampled at any moment saw-tooths with every scavenge; what survives a full
 * collection is what a leak makes grow, so the soak (docs/operations/soak.md) fits its slope to this.
 * A collection cannot be forced from outside the process; this observes the ones V8 makes anyway.
 * @module
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Gauge, type Registry } from 'prom-client';

export const HEAP_AFTER_GC_METRIC = 'nodejs_heap_used_after_major_gc_bytes';

/** Whether a `gc` performance entry is a major collection (`detail.kind`, Node ≥ 16). */
export function isMajorGc(entry: PerformanceEntry): boolean {
  // @types/node does not declare `detail` on every PerformanceEntry; a gc entry has it.
  const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } | null };
  return detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
}

/**
 * Registers the gauge; it reads 0 until the first major collection (a gauge without labels always has
 * a sample; no heap is ever 0, so a reader drops it). The observer's callback
 * runs soon after the collection, before much is allocated again: a close reading, not an exact one.
 */
export function registerHeapAfterGcMetric(registry: Registry, prefix: string): void {
  let afterMajorGc: number | undefined;
  const observer = new PerformanceObserver((list) => {
    if (list.getEntries().some(isMajorGc)) afterMajorGc = getHeapStatistics().used_heap_size;
  });
  observer.observe({ entryTypes: ['gc'] });
  new Gauge({
    name: `${prefix}${HEAP_AFTER_GC_METRIC}`,
    help: 'V8 heap used right after the latest major (mark-compact) garbage collection, in bytes.',
    registers: [registry],
    collect() {
      if (afterMajorGc !== undefined) this.set(afterMajorGc);
    },
  });
}
