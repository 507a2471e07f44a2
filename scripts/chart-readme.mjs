#!/usr/bin/env node
/**
 * The parameters table of charts/atc/README.md, generated from the `## @param` comments of
 * charts/atc/values.yaml by `@bitnami/readme-generator-for-helm`, then formatted with the
 * repository's prettier settings (so `npm run format:check` and this agree).
 *
 * Usage: `node scripts/chart-readme.mjs` rewrites the README; `--check` exits 1 when the committed
 * README differs from what would be generated (a value added, renamed or redescribed without
 * regenerating), or when a value has no `@param` comment (the generator refuses those).
 *
 * @module
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHART = join(REPOSITORY_ROOT, 'charts', 'atc');
const README = join(CHART, 'README.md');
const VALUES = join(CHART, 'values.yaml');

/** Generates the README from values.yaml into a scratch copy and returns its formatted text. */
export async function generateChartReadme() {
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
    const options = (await prettier.resolveConfig(README)) ?? {};
    return prettier.format(readFileSync(target, 'utf8'), { ...options, filepath: README });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main() {
  const check = process.argv.includes('--check');
  const generated = await generateChartReadme();
  const current = readFileSync(README, 'utf8');
  if (!check) {
    if (generated !== current) writeFileSync(README, generated);
    console.log(`charts/atc/README.md ${generated === current ? 'is current' : 'regenerated'}`);
    return;
  }
  if (generated !== current) {
    console.error(
      'charts/atc/README.md is stale: its parameters table does not match the @param comments of ' +
        'charts/atc/values.yaml. Run `npm run chart:readme` and commit the result.',
    );
    process.exit(1);
  }
  console.log('charts/atc/README.md matches charts/atc/values.yaml');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
