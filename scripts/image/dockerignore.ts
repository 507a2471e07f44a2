/**
 * .dockerignore as the builder reads it (patterns relative to the context root, `*` and `?` within one
 * path segment, `**` across any number, `!` re-includes, the last matching pattern wins, a matched
 * folder excludes everything under it), and the rule it keeps: local state, installed packages, build
 * output, tests and secrets stay out of the build context; what the build needs stays in.
 * @module
 */

interface Pattern {
  readonly negated: boolean;
  readonly regex: RegExp;
}

function toRegex(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index]!;
    if (glob.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (glob.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern naming a folder excludes what is inside it.
  return new RegExp(`^${source}(?:/.*)?$`);
}

export function parseDockerignore(text: string): Pattern[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const glob = (negated ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negated, regex: toRegex(glob) };
    });
}

/** Whether `file` (a path relative to the context root) is left out of the build context. */
export function isIgnored(patterns: readonly Pattern[], file: string): boolean {
  let ignored = false;
  for (const pattern of patterns) if (pattern.regex.test(file)) ignored = !pattern.negated;
  return ignored;
}

/** Paths that must never reach the builder, each with the reason. */
export const MUST_IGNORE: readonly (readonly [string, string])[] = [
  ['.atc/local.json', 'local state (.atc)'],
  ['.atc/pg/PG_VERSION', 'the local embedded database (.atc)'],
  ['node_modules/pg/package.json', 'installed packages (node_modules)'],
  ['services/atc/node_modules/x/index.js', "a workspace's node_modules"],
  ['dist/atc.cjs', 'a local build (dist)'],
  ['.env', 'secrets (.env)'],
  ['.env.production', 'secrets (.env.*)'],
  ['services/dashboard/.env', 'secrets (a nested .env)'],
  ['.npmrc', 'registry credentials (.npmrc)'],
  ['deploy/tls.key', 'private keys'],
  ['services/atc/src/main.test.ts', 'tests (*.test.ts)'],
  ['services/workers/src/chaos.int.test.ts', 'tests (*.int.test.ts)'],
  ['.git/HEAD', 'repository metadata (.git)'],
];

/** Paths the build stage needs, so an ignore pattern must not catch them. */
export const MUST_KEEP: readonly string[] = [
  'package.json',
  'package-lock.json',
  'scripts/build.mjs',
  'scripts/web-precompress.ts',
  'services/atc/src/main.ts',
  'services/atc/package.json',
  'services/lib/platform/src/db/migrations.ts',
  'web/package.json',
  'migrations/schema.sql',
  'migrations/baseline.json',
  'migrations/functions/claim_steps.sql',
  'tsconfig.json',
  'tsconfig.base.json',
];

export function checkDockerignore(text: string): string[] {
  const patterns = parseDockerignore(text);
  return [
    ...MUST_IGNORE.filter(([file]) => !isIgnored(patterns, file)).map(
      ([file, why]) => `.dockerignore must leave out ${file}: ${why}`,
    ),
    ...MUST_KEEP.filter((file) => isIgnored(patterns, file)).map(
      (file) => `.dockerignore leaves out ${file}, which the build needs`,
    ),
  ];
}
