/**
 * The end-to-end runs (alerts, outage, soak) build `dist/atc.cjs` from the current sources every run
 * (esbuild, about a second): a stale bundle would test old code.
 * @module
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');

/** Builds the bundle with `node scripts/build.mjs`; returns its path. Throws when the build fails. */
export function buildAtcBundle(say: (text: string) => void): string {
  say('building dist/atc.cjs (node scripts/build.mjs)');
  const build = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('building dist/atc.cjs failed; run `npm run build` to see why');
  return path.join(REPO_ROOT, 'dist', 'atc.cjs');
}
