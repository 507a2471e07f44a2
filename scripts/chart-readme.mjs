#!/usr/bin/env node
/**
 * The parameters table of charts/atc/README.md, generated from the `## @param` comments of
 * charts/atc/values.yaml by `@bitnami/readme-generator-for-helm`, then formatted with the
 * repository's prettier settings (so `npm run format:check` and this agree).
 *
 * Usage: `node scripts/chart-readme.mjs` rewrites the README; `--check` exits 1 when the committed
 * README differs from what would be generated (a value added, renamed or redescribed without
 * regenerating), or when a value has no `@param` comment (the generator refuses those).
 * `--chart DIR` works on another chart directory (the tests use a scratch copy).
 *
 * @module
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_CHART = join(REPOSITORY_ROOT, 'charts', 'atc');

/** Generates the chart's README from its values.yaml into a scratch copy and returns the formatted text. */
export async function generateChartReadme(chart = DEFAULT_CHART) {
  const README = join(chart, 'README.md');
  const VALUES = join(chart, 'values.yaml');
  const require = createRequire(import.meta.url);
  const { runReadmeGenerator } = require('@bitnami/readme-generator-for-helm');
  const scratch = mkdtempSync(join(tmpdir(), 'atc-chart-readme-'));
  const target = join(scratch, 'README.md');
  try {
    copyFileSync(README, target);
    // The generator reports progress with console.log; keep this script's output to its verdict.
    const log = console.log;
    console.log = () => {};
    try {
      runReadmeGenerator({ values: VALUES, readme: target });
    } finally {
      console.log = log;
    }
    // The repository's prettier settings, wherever the chart is (the tests use a scratch copy).
    const options = (await prettier.resolveConfig(join(DEFAULT_CHART, 'README.md'))) ?? {};
    return prettier.format(readFileSync(target, 'utf8'), { ...options, filepath: README });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const chartFlag = args.indexOf('--chart');
  const chart = chartFlag >= 0 ? resolve(args[chartFlag + 1] ?? '') : DEFAULT_CHART;
  const README = join(chart, 'README.md');
  const name = relative(REPOSITORY_ROOT, README);
  const generated = await generateChartReadme(chart);
  const current = readFileSync(README, 'utf8');
  if (!check) {
    if (generated !== current) writeFileSync(README, generated);
    console.log(`${name} ${generated === current ? 'is current' : 'regenerated'}`);
    return;
  }
  if (generated !== current) {
    console.error(
      `${name} is stale: its parameters table does not match the @param comments of the chart's ` +
        'values.yaml. Run `npm run chart:readme` and commit the result.',
    );
    process.exit(1);
  }
  console.log(`${name} matches the chart's values.yaml`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
