/**
 * After the web app's build (the last step of `npm run build`): writes a brotli (`.br`, quality 11)
 * and a gzip (`.gz`, level 9) sibling of every text file under `web/dist/assets` of 1 kB or more,
 * when compressing saves bytes. The dashboard sends a sibling the browser accepts in place of the file
 * (web-app.static.ts), so the hashed assets cost neither CPU per request nor their full size on the
 * wire. Without `web/dist/assets` (no web build yet) it does nothing.
 * @module
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(m?js|css|html|svg|json|txt|map|wasm)$/;
const MIN_BYTES = 1024;

export interface PrecompressResult {
  readonly written: readonly string[];
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Writes the siblings under `assetsDirectory`; stale ones of files too small to gain are removed. */
export function precompressAssets(assetsDirectory: string): PrecompressResult {
  if (!existsSync(assetsDirectory)) return { written: [] };
  const written: string[] = [];
  for (const file of filesUnder(assetsDirectory)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const content = readFileSync(file);
    const siblings = [
      {
        file: `${file}.br`,
        bytes: brotliCompressSync(content, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        }),
      },
      { file: `${file}.gz`, bytes: gzipSync(content, { level: 9 }) },
    ];
    for (const sibling of siblings) {
      if (content.length >= MIN_BYTES && sibling.bytes.length < content.length) {
        writeFileSync(sibling.file, sibling.bytes);
        written.push(path.relative(assetsDirectory, sibling.file));
      } else {
        rmSync(sibling.file, { force: true });
      }
    }
  }
  return { written };
}

if (require.main === module) {
  const assets = path.resolve(__dirname, '..', 'web', 'dist', 'assets');
  const { written } = precompressAssets(assets);
  process.stdout.write(`web-precompress: ${written.length} .br/.gz files in ${assets}\n`);
}
