#!/usr/bin/env node
// The `atc` command on a clone (`npx atc …`, `npm run atc -- …`): runs dist/atc.cjs, building it
// first when it is missing or older than any source it is built from, so that `npm ci` is the only
// step before the README's commands work. The image runs dist/atc.cjs directly and never comes here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bundle = path.join(root, 'dist', 'atc.cjs');
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'bin']);

/** The newest modification time of the bundle's inputs: TypeScript under services/, the build script, package.json. */
function newestInput() {
  let newest = 0;
  const visit = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) visit(full);
      } else if (/\.(ts|tsx|json)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        newest = Math.max(newest, statSync(full).mtimeMs);
      }
    }
  };
  visit(path.join(root, 'services'));
  for (const file of ['scripts/build.mjs', 'package.json']) {
    newest = Math.max(newest, statSync(path.join(root, file)).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!existsSync(bundle)) return true;
  return statSync(bundle).mtimeMs < newestInput();
}

if (isStale()) {
  // stderr, so that `--json` output on stdout stays parseable.
  process.stderr.write('atc: building dist/atc.cjs (missing or older than its sources)\n');
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: ['ignore', process.stderr, 'inherit'],
  });
  if (build.status !== 0) {
    process.stderr.write('atc: building dist/atc.cjs failed; run `npm run build` to see why\n');
    process.exit(1);
  }
}

// The bundle reads its arguments from process.argv.slice(2), and `atc up` starts its roles with
// process.argv[1]: pointing that at the bundle lets the children skip this check.
process.argv[1] = bundle;
const load = createRequire(import.meta.url);
load(bundle);
