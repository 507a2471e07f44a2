/**
 * A leak verdict per role from the soak's samples: the heap after the latest major GC when the role
 * has had one after the warm-up in at least 3 samples, else the heap used as sampled (noisier: it
 * saw-tooths with every scavenge), each role's series named in its verdict.
 * @module
 */
import type { RoleVerdict } from './soak-chart';
import type { SoakSample } from './soak-sample';
import { leakVerdict } from './soak-stats';

const MIB = 1024 * 1024;

export interface VerdictOptions {
  readonly warmupMinutes: number;
  readonly thresholdMibPerHour: number;
}

export function roleVerdicts(samples: readonly SoakSample[], options: VerdictOptions): RoleVerdict[] {
  const roles = [...new Set(samples.map((s) => s.role))];
  return roles.map((role) => {
    const kept = samples.filter((s) => s.role === role && s.elapsedSeconds >= options.warmupMinutes * 60);
    const afterGc = kept.flatMap((s) =>
      s.heapAfterGcBytes === undefined ? [] : [{ hours: s.elapsedSeconds / 3600, value: s.heapAfterGcBytes }],
    );
    const used = kept.flatMap((s) =>
      s.heapUsedBytes === undefined ? [] : [{ hours: s.elapsedSeconds / 3600, value: s.heapUsedBytes }],
    );
    const [series, points] =
      afterGc.length >= 3 ? (['after GC', afterGc] as const) : (['used', used] as const);
    if (points.length < 3)
      return { role, verdict: undefined, missing: `only ${points.length} samples after the warm-up` };
    return { role, series, verdict: leakVerdict(points, options.thresholdMibPerHour * MIB) };
  });
}
