// Fails when any package.json in the workspace declares a dependency by range (`^`, `~`, `*`,
// `latest`, `>=` …) instead of an exact version, or when package-lock.json is not committed.
// Exact pins plus a committed lock file make `npm ci` reproducible.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;
const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export interface PinProblem {
  readonly file: string;
  readonly name: string;
  readonly version: string;
}

export function findUnpinned(file: string, manifest: Record<string, unknown>): PinProblem[] {
  const problems: PinProblem[] = [];
  for (const section of SECTIONS) {
    const deps = manifest[section];
    if (typeof deps !== 'object' || deps === null) continue;
    for (const [name, version] of Object.entries(deps as Record<string, unknown>)) {
      if (typeof version !== 'string' || !EXACT_VERSION.test(version)) {
        problems.push({ file, name, version: String(version) });
      }
    }
  }
  return problems;
}

function main(): number {
  const root = path.resolve(__dirname, '..');
  const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  const files = ['package.json', ...rootManifest.workspaces.map((w) => path.join(w, 'package.json'))];
  const problems = files.flatMap((file) =>
    findUnpinned(file, JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>),
  );
  for (const p of problems)
    process.stderr.write(`${p.file}: ${p.name} is "${p.version}", not an exact version\n`);
  try {
    execFileSync('git', ['ls-files', '--error-unmatch', 'package-lock.json'], { cwd: root, stdio: 'ignore' });
  } catch {
    process.stderr.write('package-lock.json is not committed\n');
    return 1;
  }
  if (problems.length) return 1;
  process.stdout.write(
    `${files.length} package.json files: every dependency pinned; package-lock.json committed\n`,
  );
  return 0;
}

if (require.main === module) process.exit(main());
