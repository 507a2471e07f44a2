/**
 * The web app's bundle budget (`npm run web:budget`, part of `npm run check`): reads Vite's manifest
 * (`web/dist/.vite/manifest.json`, written by `vite build` with `build.manifest: true`) and sums the
 * gzipped size (zlib level 9) of
 *
 * - the initial JavaScript: every entry chunk (`isEntry`) and the closure of their static `imports`,
 *   each file once — what a browser must fetch before the app runs (lazily loaded routes, reached
 *   through `dynamicImports`, are not in it);
 * - all JavaScript: every `.js` file the manifest names, each once.
 *
 * Budgets: 150 kB and 500 kB gzipped (kB = 1000 bytes, as Vite prints sizes), overridable with
 * `--initial-budget-kb` and `--total-budget-kb`. Prints both figures and the largest chunks, and exits
 * 1 naming each budget exceeded. Without a manifest it builds the web workspace first (`npm run build
 * --workspace web`) and fails, saying to run `npm run build`, if that makes none.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';

export const INITIAL_BUDGET_KB = 150;
export const TOTAL_BUDGET_KB = 500;
const BYTES_PER_KB = 1000;
export const MANIFEST_PATH = path.join('.vite', 'manifest.json');

/** One chunk of Vite's manifest (only the fields the budget reads; Vite writes more). */
const manifestChunk = z.looseObject({
  file: z.string().min(1),
  isEntry: z.boolean().optional(),
  imports: z.array(z.string()).optional(),
  dynamicImports: z.array(z.string()).optional(),
});
const viteManifest = z.record(z.string(), manifestChunk);
export type ViteManifest = z.infer<typeof viteManifest>;

export interface ChunkSize {
  readonly file: string;
  readonly gzipBytes: number;
  readonly initial: boolean;
}

export interface BundleReport {
  readonly initialBytes: number;
  readonly totalBytes: number;
  /** Every JavaScript file, largest first. */
  readonly chunks: readonly ChunkSize[];
}

export interface Budgets {
  readonly initialKb: number;
  readonly totalKb: number;
}

const isJavaScript = (file: string) => /\.m?js$/.test(file);

export function parseManifest(json: unknown): ViteManifest {
  const parsed = viteManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`not a Vite manifest: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The files of the entry chunks and of everything they import statically, transitively. */
export function initialFiles(manifest: ViteManifest): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string, from: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest's ${from} imports ${key}, which it does not list`);
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported, key);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key, 'entry');
  if (seen.size === 0) throw new Error('the manifest has no entry chunk (isEntry)');
  return files;
}

/** Gzipped sizes of the manifest's JavaScript, initial and all; `gzipBytesOf` reads one file. */
export function measureBundle(manifest: ViteManifest, gzipBytesOf: (file: string) => number): BundleReport {
  const initial = initialFiles(manifest);
  const files = new Set(Object.values(manifest).map((chunk) => chunk.file));
  const chunks = [...files]
    .filter(isJavaScript)
    .map((file) => ({ file, gzipBytes: gzipBytesOf(file), initial: initial.has(file) }))
    .sort((a, b) => b.gzipBytes - a.gzipBytes || a.file.localeCompare(b.file));
  const sum = (list: readonly ChunkSize[]) => list.reduce((total, chunk) => total + chunk.gzipBytes, 0);
  return {
    initialBytes: sum(chunks.filter((chunk) => chunk.initial)),
    totalBytes: sum(chunks),
    chunks,
  };
}

/** One sentence per budget exceeded; empty when both hold. */
export function budgetFailures(report: BundleReport, budgets: Budgets): string[] {
  const failures: string[] = [];
  const check = (name: string, bytes: number, budgetKb: number) => {
    if (bytes > budgetKb * BYTES_PER_KB)
      failures.push(`${name} is ${kb(bytes)} gzipped, over its budget of ${budgetKb} kB`);
  };
  check('initial JavaScript', report.initialBytes, budgets.initialKb);
  check('all JavaScript', report.totalBytes, budgets.totalKb);
  return failures;
}

const fileCount = (count: number) => `${count} ${count === 1 ? 'file' : 'files'}`;

/** As Vite prints sizes: kB of 1000 bytes, two decimals. */
function kb(bytes: number): string {
  return `${(bytes / BYTES_PER_KB).toFixed(2)} kB`;
}

export function formatReport(report: BundleReport, budgets: Budgets, top: number): string {
  const initialCount = report.chunks.filter((chunk) => chunk.initial).length;
  const lines = [
    'web bundle, gzipped (zlib level 9):',
    `  initial JavaScript  ${kb(report.initialBytes).padStart(10)} of ${budgets.initialKb} kB  (${fileCount(initialCount)})`,
    `  all JavaScript      ${kb(report.totalBytes).padStart(10)} of ${budgets.totalKb} kB  (${fileCount(report.chunks.length)})`,
    `largest chunks:`,
    ...report.chunks
      .slice(0, top)
      .map(
        (chunk) =>
          `  ${kb(chunk.gzipBytes).padStart(10)}  ${chunk.file}${chunk.initial ? '  (initial)' : ''}`,
      ),
  ];
  return `${lines.join('\n')}\n`;
}

export interface BudgetRunOptions {
  /** The web app's build folder (web/dist). */
  readonly distDirectory: string;
  readonly budgets: Budgets;
  readonly top: number;
  /** Builds the web app when the manifest is missing; false when the workspace has no build. */
  readonly build: () => boolean;
  readonly write: (text: string) => void;
}

function gzipBytesIn(distDirectory: string): (file: string) => number {
  return (file) => gzipSync(readFileSync(path.join(distDirectory, file)), { level: 9 }).length;
}

/** Measures the build (making it first when missing) and returns the exit code. */
export function runBudget(options: BudgetRunOptions): number {
  const manifestFile = path.join(options.distDirectory, MANIFEST_PATH);
  if (!existsSync(manifestFile)) {
    options.write(`web:budget: no ${manifestFile}; building the web app first\n`);
    if (!options.build()) {
      // A workspace without a build script has no bundle yet (it only reserves web/): nothing to hold.
      options.write('web:budget: the web workspace has no build script: no bundle to measure\n');
      return 0;
    }
    if (!existsSync(manifestFile)) {
      options.write(
        `web:budget: FAILED: the web build made no ${MANIFEST_PATH}; run \`npm run build\` ` +
          '(and keep `build.manifest: true` in the Vite config)\n',
      );
      return 1;
    }
  }
  const manifest = parseManifest(JSON.parse(readFileSync(manifestFile, 'utf8')));
  const report = measureBundle(manifest, gzipBytesIn(options.distDirectory));
  const builtAt = statSync(manifestFile).mtime.toISOString();
  options.write(`web:budget: ${manifestFile} (built ${builtAt})\n`);
  options.write(formatReport(report, options.budgets, options.top));
  const failures = budgetFailures(report, options.budgets);
  for (const failure of failures) options.write(`web:budget: FAILED: ${failure}\n`);
  return failures.length > 0 ? 1 : 0;
}

const REPO_ROOT = path.resolve(__dirname, '..');

/** `npm run build --workspace web`, when the workspace defines one; throws when it fails. */
function buildWebWorkspace(): boolean {
  const webPackage = JSON.parse(readFileSync(path.join(REPO_ROOT, 'web', 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  if (webPackage.scripts?.['build'] === undefined) return false;
  const result = spawnSync('npm', ['run', 'build', '--workspace', 'web'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error(`npm run build --workspace web exited ${result.status ?? result.signal}`);
  return true;
}

function positiveNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`${flag} must be a positive number, not ${value}`);
  return parsed;
}

function main(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dist: { type: 'string' },
      'initial-budget-kb': { type: 'string' },
      'total-budget-kb': { type: 'string' },
      top: { type: 'string' },
    },
    strict: true,
  });
  return runBudget({
    distDirectory: path.resolve(values.dist ?? path.join(REPO_ROOT, 'web', 'dist')),
    budgets: {
      initialKb: positiveNumber('--initial-budget-kb', values['initial-budget-kb'], INITIAL_BUDGET_KB),
      totalKb: positiveNumber('--total-budget-kb', values['total-budget-kb'], TOTAL_BUDGET_KB),
    },
    top: positiveNumber('--top', values.top, 10),
    build: buildWebWorkspace,
    write: (text) => process.stdout.write(text),
  });
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`web:budget: FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
