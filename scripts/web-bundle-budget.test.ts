import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  budgetFailures,
  type BudgetRunOptions,
  INITIAL_BUDGET_KB,
  initialFiles,
  MANIFEST_PATH,
  measureBundle,
  parseManifest,
  runBudget,
  TOTAL_BUDGET_KB,
} from './web-bundle-budget';

/**
 * Like Vite's: the HTML entry, a vendor chunk it imports, a chunk shared by the entry and a lazy
 * route, two lazily loaded routes (dynamic imports), a CSS file and an asset.
 */
const MANIFEST = parseManifest({
  'index.html': {
    file: 'assets/index-a1.js',
    src: 'index.html',
    isEntry: true,
    imports: ['_vendor-b2.js', '_shared-c3.js'],
    dynamicImports: ['src/views/overview.tsx', 'src/views/feed.tsx'],
    css: ['assets/index-d4.css'],
  },
  '_vendor-b2.js': { file: 'assets/vendor-b2.js', imports: ['_shared-c3.js'] },
  '_shared-c3.js': { file: 'assets/shared-c3.js' },
  'src/views/overview.tsx': {
    file: 'assets/overview-e5.js',
    isDynamicEntry: true,
    imports: ['_shared-c3.js', '_charts-f6.js'],
  },
  'src/views/feed.tsx': { file: 'assets/feed-g7.js', isDynamicEntry: true, imports: ['_vendor-b2.js'] },
  '_charts-f6.js': { file: 'assets/charts-f6.js' },
  'src/logo.svg': { file: 'assets/logo-h8.svg' },
  'style.css': { file: 'assets/index-d4.css' },
});

const SIZES: Record<string, number> = {
  'assets/index-a1.js': 30_000,
  'assets/vendor-b2.js': 60_000,
  'assets/shared-c3.js': 5_000,
  'assets/overview-e5.js': 20_000,
  'assets/feed-g7.js': 10_000,
  'assets/charts-f6.js': 50_000,
};
const sizeOf = (file: string) => {
  const size = SIZES[file];
  if (size === undefined) throw new Error(`the budget read ${file}, which is not JavaScript`);
  return size;
};

describe('the web bundle budget', () => {
  it('counts the entries and their static imports as initial, not the lazily loaded routes', () => {
    expect([...initialFiles(MANIFEST)].sort()).toEqual([
      'assets/index-a1.js',
      'assets/shared-c3.js',
      'assets/vendor-b2.js',
    ]);
  });

  it('sums each file once, the shared chunk included, and only JavaScript', () => {
    const report = measureBundle(MANIFEST, sizeOf);
    expect(report.initialBytes).toBe(30_000 + 60_000 + 5_000);
    expect(report.totalBytes).toBe(30_000 + 60_000 + 5_000 + 20_000 + 10_000 + 50_000);
    expect(report.chunks.map((chunk) => chunk.file)).toEqual([
      'assets/vendor-b2.js',
      'assets/charts-f6.js',
      'assets/index-a1.js',
      'assets/overview-e5.js',
      'assets/feed-g7.js',
      'assets/shared-c3.js',
    ]);
  });

  it('holds the budgets the issue sets', () => {
    expect(INITIAL_BUDGET_KB).toBe(150);
    expect(TOTAL_BUDGET_KB).toBe(500);
    expect(budgetFailures(measureBundle(MANIFEST, sizeOf), { initialKb: 150, totalKb: 500 })).toEqual([]);
  });

  it('names the initial budget when the initial JavaScript is over it', () => {
    const failures = budgetFailures(measureBundle(MANIFEST, sizeOf), { initialKb: 94, totalKb: 500 });
    expect(failures).toEqual(['initial JavaScript is 95.00 kB gzipped, over its budget of 94 kB']);
  });

  it('names the total budget when all JavaScript is over it', () => {
    const failures = budgetFailures(measureBundle(MANIFEST, sizeOf), { initialKb: 150, totalKb: 170 });
    expect(failures).toEqual(['all JavaScript is 175.00 kB gzipped, over its budget of 170 kB']);
  });

  it('passes a bundle exactly at its budget', () => {
    expect(budgetFailures(measureBundle(MANIFEST, sizeOf), { initialKb: 95, totalKb: 175 })).toEqual([]);
  });

  it('refuses a manifest without an entry, or one whose import it does not list', () => {
    expect(() => initialFiles(parseManifest({ 'a.js': { file: 'assets/a.js' } }))).toThrow(/no entry chunk/);
    expect(() =>
      initialFiles(parseManifest({ 'index.html': { file: 'a.js', isEntry: true, imports: ['_gone.js'] } })),
    ).toThrow(/index.html imports _gone.js, which it does not list/);
    expect(() => parseManifest({ 'index.html': { isEntry: true } })).toThrow(/index.html.file/);
  });
});

describe('npm run web:budget on a build folder', () => {
  let dist: string;
  let output: string;
  const run = (overrides: Partial<BudgetRunOptions> = {}) =>
    runBudget({
      distDirectory: dist,
      budgets: { initialKb: INITIAL_BUDGET_KB, totalKb: TOTAL_BUDGET_KB },
      top: 10,
      build: () => {
        throw new Error('built although the manifest was there');
      },
      write: (text) => (output += text),
      ...overrides,
    });

  /** Writes the fixture's JavaScript (random-ish text, so gzip cannot shrink it to nothing) and manifest. */
  function writeBuild(): number {
    let initialGzip = 0;
    for (const [file, size] of Object.entries(SIZES)) {
      let text = '';
      for (let i = 0; text.length < size / 10; i++) text += `const v${i}=${(i * 7919) % 104729};`;
      mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
      writeFileSync(path.join(dist, file), text);
      if (['assets/index-a1.js', 'assets/vendor-b2.js', 'assets/shared-c3.js'].includes(file))
        initialGzip += gzipSync(text, { level: 9 }).length;
    }
    mkdirSync(path.join(dist, '.vite'), { recursive: true });
    writeFileSync(path.join(dist, MANIFEST_PATH), JSON.stringify(MANIFEST));
    return initialGzip;
  }

  beforeEach(() => {
    dist = mkdtempSync(path.join(tmpdir(), 'atc-web-budget-'));
    output = '';
  });
  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  it('prints both figures from the real files and the largest chunks, and passes', () => {
    const initialGzip = writeBuild();
    expect(run()).toBe(0);
    expect(output).toContain(
      `initial JavaScript  ${(initialGzip / 1000).toFixed(2).padStart(7)} kB of 150 kB`,
    );
    expect(output).toMatch(/all JavaScript .* of 500 kB {2}\(6 files\)/);
    expect(output).toMatch(/largest chunks:\n .*assets\/vendor-b2\.js {2}\(initial\)/);
  });

  it('exits 1 naming the budget exceeded', () => {
    writeBuild();
    expect(run({ budgets: { initialKb: 0.5, totalKb: TOTAL_BUDGET_KB } })).toBe(1);
    expect(output).toMatch(/FAILED: initial JavaScript is .* gzipped, over its budget of 0.5 kB/);
    expect(output).not.toMatch(/FAILED: all JavaScript/);
  });

  it('builds first when the manifest is missing', () => {
    expect(run({ build: () => (writeBuild(), true) })).toBe(0);
    expect(output).toContain('building the web app first');
    expect(output).toContain('initial JavaScript');
  });

  it('fails saying to run npm run build when the build makes no manifest', () => {
    expect(run({ build: () => true })).toBe(1);
    expect(output).toMatch(/FAILED: the web build made no .*manifest\.json; run `npm run build`/);
  });

  it('passes with a notice while the web workspace has no build script', () => {
    expect(run({ build: () => false })).toBe(0);
    expect(output).toContain('the web workspace has no build script: no bundle to measure');
  });
});
