import type { RunFigures } from './run-recorder';
import type { SystemDefinition } from './system-under-test';

const OURS = 'atc step queue';

export interface ResultRow extends RunFigures {
  readonly system: string;
  readonly workers: number;
  /** 1-based: configurations run once per repetition, every system in turn, so pairs are adjacent. */
  readonly repetition: number;
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

/**
 * One system at one worker count over every repetition: the median of each figure (steps/s, p50,
 * p99, CPU, load), the lowest and highest steps/s, and the sums of duplicates and lost jobs.
 */
export interface SummaryRow {
  readonly system: string;
  readonly workers: number;
  readonly runs: number;
  readonly stepsPerSecond: number;
  readonly slowestStepsPerSecond: number;
  readonly fastestStepsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly nodeMsPerJob: number;
  readonly serverMsPerJob: number;
  readonly load: number;
  /** False when any of its runs hit the time limit. */
  readonly drained: boolean;
}

/** The middle value (the mean of the two middle ones for an even count); NaN when there are none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Summary rows in the order the systems and worker counts first ran. */
export function summarise(rows: readonly ResultRow[]): SummaryRow[] {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const key = `${row.workers} ${row.system}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((runs) => {
    const throughputs = runs.map((run) => run.stepsPerSecond);
    return {
      system: runs[0]!.system,
      workers: runs[0]!.workers,
      runs: runs.length,
      stepsPerSecond: median(throughputs),
      slowestStepsPerSecond: Math.min(...throughputs),
      fastestStepsPerSecond: Math.max(...throughputs),
      p50Ms: median(runs.map((run) => run.p50Ms)),
      p99Ms: median(runs.map((run) => run.p99Ms)),
      duplicates: runs.reduce((sum, run) => sum + run.duplicates, 0),
      lost: runs.reduce((sum, run) => sum + run.lost, 0),
      nodeMsPerJob: median(runs.map((run) => run.nodeMsPerJob)),
      serverMsPerJob: median(runs.map((run) => run.serverMsPerJob)),
      load: median(runs.map((run) => run.load)),
      drained: runs.every((run) => run.drained),
    };
  });
}

/**
 * Our throughput over another system's, repetition by repetition (each pair ran back to back, so
 * both saw the same machine), and the median of those ratios.
 */
export function pairedRatios(
  rows: readonly ResultRow[],
  against: string,
  workers: number,
): { ratios: number[]; median: number } {
  const ratios: number[] = [];
  for (const ours of rows.filter((row) => row.system === OURS && row.workers === workers)) {
    const theirs = rows.find(
      (row) => row.system === against && row.workers === workers && row.repetition === ours.repetition,
    );
    if (theirs) ratios.push(ours.stepsPerSecond / theirs.stepsPerSecond);
  }
  return { ratios, median: median(ratios) };
}

/** The target, at 8 workers: ≥ 3× graphile-worker default throughput with p99 < 25 ms. */
export const TARGET = { workers: 8, speedup: 3, p99Ms: 25 } as const;

const fixed = (value: number, digits: number): string =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';

function table(rows: readonly SummaryRow[]): string[] {
  const header = [
    'system',
    'workers',
    'steps/s',
    'range',
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
    `${fixed(row.slowestStepsPerSecond, 0)}–${fixed(row.fastestStepsPerSecond, 0)}`,
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

function ratios(rows: readonly ResultRow[], summary: readonly SummaryRow[]): string[] {
  const find = (system: string, workers: number) =>
    summary.find((row) => row.system === system && row.workers === workers);
  const lines: string[] = [];
  for (const workers of [...new Set(summary.map((row) => row.workers))]) {
    const ours = find(OURS, workers);
    if (!ours) continue;
    const against = ['graphile-worker default', 'graphile-worker tuned', 'pg-boss']
      .map((system) => ({ system, row: find(system, workers) }))
      .filter((entry): entry is { system: string; row: SummaryRow } => entry.row !== undefined)
      .map(({ system, row }) => {
        const paired = pairedRatios(rows, system, workers);
        return (
          `${fixed(paired.median, 2)}× ${system} (p99 ${fixed(ours.p99Ms, 1)} vs ${fixed(row.p99Ms, 1)} ms; ` +
          `runs ${paired.ratios.map((ratio) => fixed(ratio, 2)).join(', ')})`
        );
      });
    if (against.length > 0) lines.push(`  ${workers} workers: ${against.join('; ')}`);
  }
  return lines;
}

function verdict(rows: readonly ResultRow[], summary: readonly SummaryRow[]): string {
  const ours = summary.find((row) => row.system === OURS && row.workers === TARGET.workers);
  const paired = pairedRatios(rows, 'graphile-worker default', TARGET.workers);
  if (!ours || paired.ratios.length === 0) {
    return `target: not evaluated (needs ${OURS} and graphile-worker default at 8 workers)`;
  }
  const met =
    paired.median >= TARGET.speedup && ours.p99Ms < TARGET.p99Ms && ours.duplicates === 0 && ours.lost === 0;
  return (
    `target at ${TARGET.workers} workers (medians of ${ours.runs} runs): ${fixed(paired.median, 2)}× ` +
    `graphile-worker default (needs ≥ ${TARGET.speedup}×), p99 ${fixed(ours.p99Ms, 1)} ms ` +
    `(needs < ${TARGET.p99Ms} ms), ${ours.duplicates} duplicates, ${ours.lost} lost — ${met ? 'MET' : 'NOT MET'}`
  );
}

export interface Report {
  readonly rows: readonly ResultRow[];
  readonly systems: readonly SystemDefinition[];
  readonly environment: readonly string[];
}

/** The printed result: the table, the ratios, the verdict, and how each system was run. */
export function formatReport(report: Report): string {
  const summary = summarise(report.rows);
  const lines = [
    '',
    ...table(summary),
    '',
    'our queue against the others (median of the per-run steps/s ratios, each run paired with the',
    "other system's run of the same repetition):",
    ...ratios(report.rows, summary),
    '',
    verdict(report.rows, summary),
    '',
    'how each system ran (pool sizes shown for 8 workers):',
    ...report.systems.map((system) => `  ${system.label}: ${system.describe(TARGET.workers)}`),
    '',
    'Each row is the median of its runs (steps/s, p50, p99, cpu, load); range: slowest and fastest run;',
    'duplicates and lost: summed over the runs. Every repetition runs each system once, in turn.',
    'cpu ms/step: CPU of this process + of the PostgreSQL server per completed job, warm-up included.',
    'load: 1-minute load average when the configuration ended; this process, PostgreSQL and anything',
    'else running on the machine share the same cores, so a high load stretches every latency.',
    ...report.environment,
    '',
  ];
  return lines.join('\n');
}
