import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles a TypeScript entry point (our workspace packages included, third-party packages left to
 * node_modules) into one CommonJS file, for tests that start many short-lived processes: a bundled
 * process starts in a fraction of the time tsx needs to compile on every start.
 */
export async function bundleForTest(entry: string, repositoryRoot: string): Promise<string> {
  // Inside the repository, so that Node resolves the external packages from its node_modules.
  const cache = path.join(repositoryRoot, 'node_modules', '.cache', 'atc-test-bundles');
  mkdirSync(cache, { recursive: true });
  const outfile = path.join(mkdtempSync(path.join(cache, 'bundle-')), `${path.basename(entry, '.ts')}.cjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    absWorkingDir: repositoryRoot,
    logLevel: 'error',
    plugins: [
      {
        name: 'externalize-node-modules',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@atc/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return outfile;
}
