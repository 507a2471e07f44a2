import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompressAssets } from './web-precompress';

describe('precompressAssets', () => {
  let assets: string;
  beforeEach(() => {
    assets = path.join(mkdtempSync(path.join(tmpdir(), 'atc-precompress-')), 'assets');
    mkdirSync(path.join(assets, 'nested'), { recursive: true });
  });
  afterEach(() => rmSync(path.dirname(assets), { recursive: true, force: true }));

  it('writes brotli and gzip siblings that decompress to the file, for text files worth it', () => {
    const script = `export const rows = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ i })))};`;
    writeFileSync(path.join(assets, 'app-1a.js'), script);
    writeFileSync(path.join(assets, 'nested', 'app-2b.css'), 'body{margin:0}'.repeat(100));
    writeFileSync(path.join(assets, 'tiny-3c.js'), 'export {};');
    writeFileSync(path.join(assets, 'logo-4d.png'), Buffer.alloc(4096));
    const { written } = precompressAssets(assets);
    expect([...written].sort()).toEqual([
      'app-1a.js.br',
      'app-1a.js.gz',
      path.join('nested', 'app-2b.css.br'),
      path.join('nested', 'app-2b.css.gz'),
    ]);
    expect(brotliDecompressSync(readFileSync(path.join(assets, 'app-1a.js.br'))).toString()).toBe(script);
    expect(gunzipSync(readFileSync(path.join(assets, 'app-1a.js.gz'))).toString()).toBe(script);
    expect(existsSync(path.join(assets, 'tiny-3c.js.br'))).toBe(false);
    expect(existsSync(path.join(assets, 'logo-4d.png.br'))).toBe(false);
  });

  it('removes a stale sibling of a file that no longer gains from compression', () => {
    writeFileSync(path.join(assets, 'tiny-3c.js'), 'export {};');
    writeFileSync(path.join(assets, 'tiny-3c.js.br'), 'stale');
    precompressAssets(assets);
    expect(existsSync(path.join(assets, 'tiny-3c.js.br'))).toBe(false);
  });

  it('does nothing without a web build', () => {
    expect(precompressAssets(path.join(assets, 'missing')).written).toEqual([]);
  });
});
