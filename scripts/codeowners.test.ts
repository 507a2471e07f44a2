import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// .github/CODEOWNERS (CONTRIBUTING.md, "Reviews"): every rule names files that exist, so a moved
// file cannot silently drop out of review, and the two-approver paths name two teams.
const ROOT = path.join(__dirname, '..');

interface Rule {
  readonly pattern: string;
  readonly owners: readonly string[];
}

function rules(): Rule[] {
  return readFileSync(path.join(ROOT, '.github', 'CODEOWNERS'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [pattern, ...owners] = line.split(/\s+/);
      return { pattern: pattern!, owners };
    });
}

/** CODEOWNERS' subset used here: a leading `/` anchors, a trailing `/` is a folder, `*` any characters but `/`. */
function matches(pattern: string, file: string): boolean {
  if (pattern === '*') return true;
  const anchored = pattern.replace(/^\//, '');
  if (anchored.endsWith('/')) return file.startsWith(anchored);
  const regex = new RegExp(
    `^${anchored
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
  return regex.test(file);
}

/** The owners GitHub would request for `file`: the last matching rule's. */
function ownersOf(file: string, all: readonly Rule[]): readonly string[] {
  return [...all].reverse().find((rule) => matches(rule.pattern, file))?.owners ?? [];
}

describe('CODEOWNERS', () => {
  const all = rules();
  // Committed files and new ones not yet committed (the test also runs before a commit).
  const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);

  it('every rule names a team and matches at least one file of the repository', () => {
    for (const rule of all) {
      expect([rule.pattern, rule.owners.every((owner) => /^@atc\/[a-z-]+$/.test(owner))]).toEqual([
        rule.pattern,
        true,
      ]);
      expect([rule.pattern, tracked.some((file) => matches(rule.pattern, file))]).toEqual([
        rule.pattern,
        true,
      ]);
    }
  });

  it('risk policy and migrations need two teams; the rest one owner', () => {
    for (const file of [
      'services/lib/contracts/src/policies.ts',
      'services/lib/trading/src/risk-gates.ts',
      'services/lib/trading/src/kill-switch.ts',
      'services/lib/trading/src/seed-data.ts',
      'migrations/0012_baseline.up.sql',
      'migrations/functions/append_audit.sql',
      'migrations/schema.sql',
    ])
      expect([file, ownersOf(file, all).length]).toEqual([file, 2]);
    expect(ownersOf('services/workers/src/main.ts', all)).toEqual(['@atc/platform']);
  });
});
