import type { RunFigures } from './run-recorder';
import type { SystemDefinition } from './system-under-test';

export interface ResultRow extends RunFigures {
  readonly system: string;
  readonly workers: number;
  readonly lost: number;
  /** CPU per completed job, in this process and in the PostgreSQL server (NaN when unknown). */
  readonly nodeMsPerJob: number;
  readonly serverMsPerJob: number;
  /** The machine's 1-minute load average when the configuration ended. */
  readonly load: number;
  readonly enqueued: number;
  /** False when the configuration hit its time limit before every job completed. */
  readonly drained: boolean;
}

/** The target, at 8 workers: ≥ 3× graphile-worker default throughput with p99 < 25 ms. */
export const TARGET = { workers: 8, speedup: 3, p99Ms: 25 } as const;

const OURS = 'atc step queue';

const fixed = (value: number, digits: number): string =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';

function table(rows: readonly ResultRow[]): string[] {
  const header = [
    'system',
    'workers',
    'steps/s',
    'p50 ms',
    'p99 ms',
    'duplicates',
    'lost',
    'cpu ms/step',
    'load',
  ];
  const cells = rows.map((row) => [
    row.drained ? row.system : `${row.system} (timed out)`,
    String(row.workers),
    fixed(row.stepsPerSecond, 0),
    fixed(row.p50Ms, 1),
    fixed(row.p99Ms, 1),
    String(row.duplicates),
    String(row.lost),
    `${fixed(row.nodeMsPerJob, 2)} + ${fixed(row.serverMsPerJob, 2)}`,
    fixed(row.load, 1),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: readonly string[]) =>
    values.map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
}

function ratios(rows: readonly ResultRow[]): string[] {
  const find = (system: string, workers: number) =>
    rows.find((row) => row.system === system && row.workers === workers);
  const lines: string[] = [];
  for (const workers of [...new Set(rows.map((row) => row.workers))]) {
    const ours = find(OURS, workers);
    if (!ours) continue;
    const against = ['graphile-worker default', 'graphile-worker tuned', 'pg-boss']
      .map((system) => ({ system, row: find(system, workers) }))
      .filter((entry): entry is { system: string; row: ResultRow } => entry.row !== undefined)
      .map(
        ({ system, row }) =>
          `${fixed(ours.stepsPerSecond / row.stepsPerSecond, 2)}× ${system} ` +
          `(p99 ${fixed(ours.p99Ms, 1)} vs ${fixed(row.p99Ms, 1)} ms)`,
      );
    if (against.length > 0) lines.push(`  ${workers} workers: ${against.join('; ')}`);
  }
  return lines;
}

function verdict(rows: readonly ResultRow[]): string {
  const ours = rows.find((row) => row.system === OURS && row.workers === TARGET.workers);
  const base = rows.find((row) => row.system === 'graphile-worker default' && row.workers === TARGET.workers);
  if (!ours || !base) return `target: not evaluated (needs ${OURS} and graphile-worker default at 8 workers)`;
  const speedup = ours.stepsPerSecond / base.stepsPerSecond;
  const met =
    speedup >= TARGET.speedup && ours.p99Ms < TARGET.p99Ms && ours.duplicates === 0 && ours.lost === 0;
  return (
    `target at ${TARGET.workers} workers: ${fixed(speedup, 2)}× graphile-worker default ` +
    `(needs ≥ ${TARGET.speedup}×), p99 ${fixed(ours.p99Ms, 1)} ms (needs < ${TARGET.p99Ms} ms), ` +
    `${ours.duplicates} duplicates, ${ours.lost} lost — ${met ? 'MET' : 'NOT MET'}`
  );
}

export interface Report {
  readonly rows: readonly ResultRow[];
  readonly systems: readonly SystemDefinition[];
  readonly environment: readonly string[];
}

/** The printed result: the table, the ratios, the verdict, and how each system was run. */
export function formatReport(report: Report): string {
  const lines = [
    '',
    ...table(report.rows),
    '',
    'our queue against the others (steps/s ratio):',
    ...ratios(report.rows),
    '',
    verdict(report.rows),
    '',
    'how each system ran (pool sizes shown for 8 workers):',
    ...report.systems.map((system) => `  ${system.label}: ${system.describe(TARGET.workers)}`),
    '',
    'cpu ms/step: CPU of this process + of the PostgreSQL server per completed job, warm-up included.',
    'load: 1-minute load average when the configuration ended; this process, PostgreSQL and anything',
    'else running on the machine share the same cores, so a high load stretches every latency.',
    ...report.environment,
    '',
  ];
  return lines.join('\n');
}
