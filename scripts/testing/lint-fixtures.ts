/**
 * Lints throwaway files with the project's real ESLint config, in one run, and removes them: the
 * harness of the tests that prove the architecture's lint rules fire (lint-rules, simulator zone).
 * @module
 */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');

export interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

/** A file to lint: the folder it is written into, its name's ending (`.ts`, `.test.ts`) and its text. */
export interface LintFixture {
  readonly directory: string;
  readonly suffix?: string;
  readonly source: string;
}

/** Each fixture's lint messages, by the fixture's name (an empty list when the file is clean). */
export async function lintFixtures<Name extends string>(
  fixtures: Readonly<Record<Name, LintFixture>>,
): Promise<Map<Name, LintMessage[]>> {
  const files = new Map<string, Name>();
  const results = new Map<Name, LintMessage[]>();
  try {
    for (const [name, fixture] of Object.entries(fixtures) as [Name, LintFixture][]) {
      const file = path.join(
        root,
        fixture.directory,
        `lint-fixture-${name}-${process.pid}${fixture.suffix ?? '.ts'}`,
      );
      writeFileSync(file, fixture.source);
      files.set(file, name);
      results.set(name, []);
    }
    const eslint = path.join(root, 'node_modules/eslint/bin/eslint.js');
    // ESLint exits 1 when it finds problems; its JSON report is on stdout either way.
    const output = await run(process.execPath, [eslint, '-f', 'json', ...files.keys()], {
      cwd: root,
      maxBuffer: 16 << 20,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '[]' }));
    for (const report of JSON.parse(output.stdout) as { filePath: string; messages: LintMessage[] }[]) {
      const name = files.get(report.filePath);
      if (name !== undefined) results.set(name, report.messages);
    }
  } finally {
    for (const file of files.keys()) rmSync(file, { force: true });
  }
  return results;
}
