// Bundles the `atc` CLI (every role and command) into dist/atc.cjs with esbuild. Our workspace
// packages are bundled from their TypeScript sources; third-party packages stay external and load
// from node_modules at run time, exactly as in the image.
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';

// web/dist always exists after a build, empty until the web workspace has a build of its own (npm run
// build runs it after this script, when it defines one): the image copies the folder unconditionally.
mkdirSync(new URL('../web/dist', import.meta.url), { recursive: true });

const rootPackage = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['services/atc/src/main.ts'],
  outfile: 'dist/atc.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  define: { 'process.env.ATC_BUNDLE_VERSION': JSON.stringify(rootPackage.version) },
  plugins: [
    {
      name: 'externalize-node-modules',
      setup(pluginBuild) {
        // Anything that is neither relative nor one of ours comes from node_modules at run time.
        pluginBuild.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@atc/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
  logLevel: 'warning',
});
