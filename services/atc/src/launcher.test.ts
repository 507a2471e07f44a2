import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// `npm ci && npx atc status` on a fresh clone: the bin entry npm links must point at a file inside
// the package (npm drops `../` from bin paths, which is why `../../dist/atc.cjs` never linked), and
// the launcher builds the bundle when it is missing or older than its sources.
const atcPackage = path.resolve(__dirname, '..');
const repositoryRoot = path.resolve(atcPackage, '../..');
const launcher = path.join(atcPackage, 'bin', 'atc.mjs');

describe('the atc bin entry', () => {
  it('names an executable launcher inside the package, and the lock file agrees', () => {
    const manifest = JSON.parse(readFileSync(path.join(atcPackage, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    const target = manifest.bin.atc!;
    expect(path.normalize(target).startsWith('..')).toBe(false);
    expect(path.resolve(atcPackage, target)).toBe(launcher);
    expect(() => accessSync(launcher, constants.X_OK)).not.toThrow();
    const lock = JSON.parse(readFileSync(path.join(repositoryRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { bin?: Record<string, string> }>;
    };
    expect(path.normalize(lock.packages['services/atc']!.bin!.atc!)).toBe(path.normalize(target));
  });
});

describe('the atc launcher', () => {
  let root: string;
  const source = () => path.join(root, 'services', 'lib', 'x', 'src', 'a.ts');
  beforeEach(() => {
    // A miniature clone: the launcher, a source file, and a build script that writes a bundle
    // printing its arguments (and counts its builds).
    root = path.join(os.tmpdir(), `atc-launcher-${process.pid}-${Date.now()}`);
    mkdirSync(path.join(root, 'services', 'atc', 'bin'), { recursive: true });
    mkdirSync(path.dirname(source()), { recursive: true });
    mkdirSync(path.join(root, 'scripts'));
    copyFileSync(launcher, path.join(root, 'services', 'atc', 'bin', 'atc.mjs'));
    writeFileSync(source(), 'export {};\n');
    writeFileSync(path.join(root, 'package.json'), '{}\n');
    writeFileSync(
      path.join(root, 'scripts', 'build.mjs'),
      [
        "import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';",
        "mkdirSync('dist', { recursive: true });",
        "appendFileSync('builds.log', 'built\\n');",
        "writeFileSync('dist/atc.cjs', 'process.stdout.write(JSON.stringify([process.argv[1], ...process.argv.slice(2)]));');",
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(root, 'services', 'atc', 'bin', 'atc.mjs'), ...args], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
    });
  const builds = () => readFileSync(path.join(root, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;

  it('builds a missing bundle, then runs it with the arguments and argv[1] pointing at the bundle', () => {
    const first = run('status', '--json');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual([path.join(root, 'dist', 'atc.cjs'), 'status', '--json']);
    expect(first.stderr).toMatch(/building dist\/atc\.cjs/);
    expect(builds()).toBe(1);
  });

  it('does not rebuild a fresh bundle, and rebuilds one older than a source', () => {
    run('version');
    const again = run('version');
    expect(again.stderr).toBe('');
    expect(builds()).toBe(1);
    const future = new Date(Date.now() + 60_000);
    utimesSync(source(), future, future);
    expect(run('version').status).toBe(0);
    expect(builds()).toBe(2);
  });

  it('exits 1 with one line when the build fails', () => {
    writeFileSync(path.join(root, 'scripts', 'build.mjs'), 'process.exit(3);\n');
    const failed = run('status');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/building dist\/atc\.cjs failed; run `npm run build` to see why/);
  });
});
