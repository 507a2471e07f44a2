import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { replayRuntimeStage } from './replay-runtime-stage';

const DOCKERFILE = `ARG BASE_DIGEST
FROM base:1.2.3@\${BASE_DIGEST:?} AS node
FROM node AS build
WORKDIR /src
COPY . .
RUN touch build-stage-ran
FROM build AS deps
RUN rm -rf node_modules/dev-only && touch node_modules/.pruned
FROM node AS runtime
ARG VERSION=1.0
WORKDIR /app
ENV HOME_DIR=/tmp/home \\
    VERSION_SEEN=\${VERSION}
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist/atc.cjs /src/dist/atc.cjs.map ./
COPY --from=build /src/package.json ./
COPY --from=build /src/web/dist ./web/dist
USER 10001:10002
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s CMD ["node", "/app/atc.cjs", "health"]
ENTRYPOINT ["node", "/app/atc.cjs"]
CMD ["--help"]
`;

describe('replaying the runtime stage', () => {
  let work: string;
  let repo: string;

  const write = (file: string, text = '') => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };
  const replay = (dockerfileText = DOCKERFILE, buildArgs: Record<string, string> = {}) =>
    replayRuntimeStage({
      repoRoot: repo,
      dockerfileText,
      workDirectory: path.join(work, 'out'),
      link: false,
      buildArgs,
    });

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'atc-replay-test-'));
    repo = path.join(work, 'repo');
    write('package.json', '{"name":"fixture"}');
    write('dist/atc.cjs', 'bundle');
    write('dist/atc.cjs.map', '{}');
    write('web/dist/index.html', '<html>');
    write('node_modules/.package-lock.json', '{}');
    write('node_modules/runtime-dep/index.js', 'dep');
    write('node_modules/dev-only/index.js', 'dev');
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('copies what each COPY names from the build output into the image tree', () => {
    const image = replay();
    const app = path.join(image.root, 'app');
    expect(readFileSync(path.join(app, 'atc.cjs'), 'utf8')).toBe('bundle');
    expect(existsSync(path.join(app, 'atc.cjs.map'))).toBe(true);
    expect(existsSync(path.join(app, 'package.json'))).toBe(true);
    expect(existsSync(path.join(app, 'web/dist/index.html'))).toBe(true);
    expect(existsSync(path.join(app, 'node_modules/runtime-dep/index.js'))).toBe(true);
  });

  it('replays a stage built FROM the build stage in a scratch copy, leaving the repository alone', () => {
    const image = replay();
    const modules = path.join(image.root, 'app/node_modules');
    expect(existsSync(path.join(modules, 'dev-only'))).toBe(false);
    expect(existsSync(path.join(modules, '.pruned'))).toBe(true);
    expect(existsSync(path.join(repo, 'node_modules/dev-only/index.js'))).toBe(true);
    // The build stage is the repository as `npm ci` and `npm run build` left it: its RUNs are not replayed.
    expect(existsSync(path.join(repo, 'build-stage-ran'))).toBe(false);
  });

  it("returns the image's config: ENV expanded from ARGs (build args win), USER, commands", () => {
    expect(replay()).toMatchObject({
      workdir: '/app',
      env: { HOME_DIR: '/tmp/home', VERSION_SEEN: '1.0' },
      user: { uid: 10001, gid: 10002 },
      entrypoint: ['node', '/app/atc.cjs'],
      cmd: ['--help'],
      healthcheck: ['node', '/app/atc.cjs', 'health'],
      stopSignal: 'SIGTERM',
    });
    expect(replay(DOCKERFILE, { VERSION: '2.0' }).env.VERSION_SEEN).toBe('2.0');
  });

  it('refuses what it cannot replay faithfully, and a COPY of something the build did not make', () => {
    expect(() => replay(DOCKERFILE.replace('USER 10001:10002', 'RUN ["node", "-v"]'))).toThrow(
      /RUN is not replayed/,
    );
    expect(() => replay(DOCKERFILE.replace('USER 10001:10002', 'USER app'))).toThrow(/numeric users only/);
    expect(() =>
      replay(DOCKERFILE.replace('ENTRYPOINT ["node", "/app/atc.cjs"]', 'ENTRYPOINT node /app/atc.cjs')),
    ).toThrow(/shell form/);
    rmSync(path.join(repo, 'web/dist'), { recursive: true });
    expect(() => replay()).toThrow(/web\/dist does not exist/);
  });
});
