import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkDockerfile } from './dockerfile-rules';
import { checkDockerignore, isIgnored, parseDockerignore } from './dockerignore';
import { expandVariables, finalStage, parseDockerfile } from './dockerfile';

const ROOT = path.resolve(__dirname, '../..');
const DOCKERFILE = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const DOCKERIGNORE = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8');

/** `text` with `from` replaced by `to`; throws when `from` is absent, so a mutation can never be a no-op. */
function mutate(text: string, from: string | RegExp, to: string): string {
  const mutated = text.replace(from, to);
  if (mutated === text) throw new Error(`mutation did not apply: ${String(from)}`);
  return mutated;
}

/** Inserts `line` right after the line that starts with `anchor`. */
function insertAfter(text: string, anchor: string, line: string): string {
  return mutate(
    text,
    new RegExp(`^(${anchor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*)$`, 'm'),
    `$1\n${line}`,
  );
}

describe('the Dockerfile', () => {
  it('keeps every rule', () => {
    expect(checkDockerfile(DOCKERFILE)).toEqual([]);
  });

  it('is parsed into stages with the runtime stage last', () => {
    const parsed = parseDockerfile(DOCKERFILE);
    expect(parsed.stages.map((s) => s.name)).toEqual(['node', 'build', 'prod-deps', 'runtime']);
    expect(finalStage(parsed).instructions.find((i) => i.keyword === 'ENTRYPOINT')?.execForm).toEqual([
      'node',
      '/app/atc.cjs',
    ]);
  });

  // Each mutation breaks one rule; the check must name it.
  const mutations: readonly (readonly [string, (text: string) => string, RegExp])[] = [
    [
      'a single stage',
      (t) =>
        `ARG NODE_IMAGE_DIGEST\nFROM node:20.20.2-bookworm-slim@\${NODE_IMAGE_DIGEST:?}\n` +
        t
          .slice(t.indexOf('FROM node AS runtime') + 'FROM node AS runtime'.length)
          .replace(/--from=\S+ /g, ''),
      /multi-stage/,
    ],
    [
      'a floating tag',
      (t) => mutate(t, 'node:20.20.2-bookworm-slim@', 'node:20-bookworm-slim@'),
      /exact Node 20 tag/,
    ],
    ['the latest tag', (t) => mutate(t, 'node:20.20.2-bookworm-slim@', 'node:latest@'), /exact Node 20 tag/],
    ['no digest', (t) => mutate(t, '@${NODE_IMAGE_DIGEST:?}', ''), /pin its digest/],
    ['the digest ARG undeclared', (t) => mutate(t, /^ARG NODE_IMAGE_DIGEST\n/m, ''), /pin its digest/],
    ['USER root', (t) => mutate(t, 'USER 10001:10001', 'USER root'), /numeric non-root/],
    ['USER by name', (t) => mutate(t, 'USER 10001:10001', 'USER node'), /numeric non-root/],
    ['USER 0', (t) => mutate(t, 'USER 10001:10001', 'USER 0:0'), /numeric non-root/],
    [
      'another uid than the chart',
      (t) => mutate(t, 'USER 10001:10001', 'USER 1000:1000'),
      /must be 10001:10001/,
    ],
    ['no USER', (t) => mutate(t, /^USER .*\n/m, ''), /must set USER/],
    [
      'a shell-form ENTRYPOINT',
      (t) => mutate(t, /^ENTRYPOINT .*$/m, 'ENTRYPOINT node /app/atc.cjs'),
      /ENTRYPOINT/,
    ],
    [
      'ENTRYPOINT through npm',
      (t) => mutate(t, /^ENTRYPOINT .*$/m, 'ENTRYPOINT ["npm", "start"]'),
      /ENTRYPOINT/,
    ],
    [
      'another ENTRYPOINT path',
      (t) => mutate(t, /^ENTRYPOINT .*$/m, 'ENTRYPOINT ["node", "/app/dist/atc.cjs"]'),
      /ENTRYPOINT/,
    ],
    ['CMD through npm', (t) => mutate(t, /^CMD .*$/m, 'CMD ["npm", "start"]'), /through npm/],
    ['a shell-form CMD', (t) => mutate(t, /^CMD .*$/m, 'CMD dashboard'), /shell form/],
    [
      'a RUN in the runtime stage',
      (t) => insertAfter(t, 'USER 10001', 'RUN chmod -R a+w /app'),
      /RUN in the runtime/,
    ],
    [
      'an exec-form RUN in the runtime stage',
      (t) => insertAfter(t, 'WORKDIR /app', 'RUN ["node", "-v"]'),
      /RUN in the runtime/,
    ],
    ['no HEALTHCHECK', (t) => mutate(t, /^HEALTHCHECK .*\n/m, ''), /HEALTHCHECK/],
    ['HEALTHCHECK NONE', (t) => mutate(t, /^HEALTHCHECK .*$/m, 'HEALTHCHECK NONE'), /HEALTHCHECK/],
    [
      'a shell-form HEALTHCHECK',
      (t) => mutate(t, /^HEALTHCHECK .*$/m, 'HEALTHCHECK CMD node /app/atc.cjs health || exit 1'),
      /HEALTHCHECK/,
    ],
    [
      'ADD of a URL',
      (t) => insertAfter(t, 'WORKDIR /src', 'ADD https://example.com/tool.tar.gz /tmp/'),
      /ADD of a URL/,
    ],
    [
      'a credential in ENV',
      (t) => insertAfter(t, 'WORKDIR /app', 'ENV TRADIER_ACCESS_TOKEN=abc'),
      /TRADIER_ACCESS_TOKEN puts a credential/,
    ],
    [
      'a database URL in ENV',
      (t) => mutate(t, 'NODE_ENV=production \\', 'NODE_ENV=production DATABASE_URL=postgres://a:b@db/atc \\'),
      /DATABASE_URL puts a credential/,
    ],
    [
      'a credential as a build ARG',
      (t) => insertAfter(t, 'WORKDIR /src', 'ARG NPM_TOKEN'),
      /NPM_TOKEN puts a credential/,
    ],
    ['a copied .env', (t) => insertAfter(t, 'WORKDIR /app', 'COPY .env ./'), /copies a secret/],
    [
      'no OCI source label',
      (t) => mutate(t, /^\s*org\.opencontainers\.image\.source=.*\n/m, ''),
      /image\.source is missing/,
    ],
    [
      'a hard-coded OCI revision',
      (t) => mutate(t, 'image.revision="${REVISION}"', 'image.revision="abc123"'),
      /image\.revision must come from a build ARG/,
    ],
    ['no SOURCE_DATE_EPOCH', (t) => mutate(t, /^ARG SOURCE_DATE_EPOCH.*\n/m, ''), /SOURCE_DATE_EPOCH/],
    [
      'no NODE_ENV',
      (t) => mutate(t, 'NODE_ENV=production \\', 'NODE_ENV=development \\'),
      /NODE_ENV=production/,
    ],
    ['STOPSIGNAL SIGINT', (t) => mutate(t, 'STOPSIGNAL SIGTERM', 'STOPSIGNAL SIGINT'), /STOPSIGNAL SIGTERM/],
    ['another WORKDIR', (t) => mutate(t, 'WORKDIR /app', 'WORKDIR /srv'), /WORKDIR \/app/],
    ['dev dependencies kept', (t) => mutate(t, 'npm prune --omit=dev', 'npm prune'), /--omit=dev/],
    [
      'node_modules from the build stage',
      (t) => mutate(t, 'COPY --from=prod-deps /src/node_modules', 'COPY --from=build /src/node_modules'),
      /--omit=dev/,
    ],
  ];

  it.each(mutations)('fails with %s', (_name, change, problem) => {
    const problems = checkDockerfile(change(DOCKERFILE));
    expect(problems).toContainEqual(expect.stringMatching(problem));
  });

  it('expands build variables as the builder does', () => {
    const scope = new Map([['VERSION', '1.2.3']]);
    expect(expandVariables('v=${VERSION} $VERSION ${MISSING:-x} ${VERSION:+set}', scope)).toBe(
      'v=1.2.3 1.2.3 x set',
    );
    expect(() => expandVariables('@${NODE_IMAGE_DIGEST:?}', scope)).toThrow(/NODE_IMAGE_DIGEST is required/);
  });
});

describe('.dockerignore', () => {
  it('leaves out local state, packages, builds, tests and secrets, and keeps what the build needs', () => {
    expect(checkDockerignore(DOCKERIGNORE)).toEqual([]);
  });

  it.each([
    ['\\.atc', /\.atc\/local\.json/],
    ['\\*\\*/node_modules', /node_modules\/pg/],
    ['\\*\\*/\\*\\.test\\.ts', /main\.test\.ts/],
    ['(\\*\\*/)?\\.env', /leave out \.env: /],
    ['\\.npmrc', /\.npmrc/],
  ])('fails without the lines matching %s', (line, problem) => {
    const without = mutate(DOCKERIGNORE, new RegExp(`^${line}$`, 'gm'), '');
    expect(checkDockerignore(without)).toContainEqual(expect.stringMatching(problem));
  });

  it('fails when a pattern re-includes a secret or leaves out what the build needs', () => {
    expect(checkDockerignore(`${DOCKERIGNORE}\n!.env\n`)).toContainEqual(
      expect.stringMatching(/leave out \.env: /),
    );
    expect(checkDockerignore(`${DOCKERIGNORE}\nmigrations\n`)).toContainEqual(
      expect.stringMatching(/leaves out migrations\/schema\.sql/),
    );
  });

  it('matches as the builder does: root-relative, ** across folders, last match wins', () => {
    const patterns = parseDockerignore('dist\n**/bench\n*.log\n!keep.log\n');
    expect(isIgnored(patterns, 'dist/atc.cjs')).toBe(true);
    expect(isIgnored(patterns, 'services/dist/x.js')).toBe(false);
    expect(isIgnored(patterns, 'services/dashboard/bench/api.bench.ts')).toBe(true);
    expect(isIgnored(patterns, 'a.log')).toBe(true);
    expect(isIgnored(patterns, 'logs/a.log')).toBe(false);
    expect(isIgnored(patterns, 'keep.log')).toBe(false);
  });
});
