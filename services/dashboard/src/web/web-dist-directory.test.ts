import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findWebDistDirectory } from './web-dist-directory';

describe('findWebDistDirectory', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'atc-web-dist-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("finds the image's /app/web/dist beside the bundle", () => {
    mkdirSync(path.join(root, 'app', 'web', 'dist'), { recursive: true });
    expect(findWebDistDirectory(path.join(root, 'app'))).toBe(path.join(root, 'app', 'web', 'dist'));
  });

  it("finds the checkout's web/dist above the bundle's dist/ and above a source folder", () => {
    mkdirSync(path.join(root, 'web', 'dist'), { recursive: true });
    mkdirSync(path.join(root, 'dist'));
    mkdirSync(path.join(root, 'services', 'dashboard', 'src', 'web'), { recursive: true });
    const expected = path.join(root, 'web', 'dist');
    expect(findWebDistDirectory(path.join(root, 'dist'))).toBe(expected);
    expect(findWebDistDirectory(path.join(root, 'services', 'dashboard', 'src', 'web'))).toBe(expected);
  });

  it('names the web/dist of the repository root before a build, so the build is picked up later', () => {
    mkdirSync(path.join(root, 'migrations'));
    writeFileSync(path.join(root, 'migrations', 'schema.sql'), '');
    mkdirSync(path.join(root, 'dist'));
    expect(findWebDistDirectory(path.join(root, 'dist'), '/elsewhere')).toBe(path.join(root, 'web', 'dist'));
  });

  it('falls back to web/dist under the working directory', () => {
    mkdirSync(path.join(root, 'a'));
    expect(findWebDistDirectory(path.join(root, 'a'), '/srv/atc')).toBe(path.resolve('/srv/atc/web/dist'));
  });
});
