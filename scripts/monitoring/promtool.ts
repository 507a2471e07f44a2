/**
 * Parses PromQL with Prometheus itself: the expressions become the recording rules of a temporary
 * rule file and `promtool check rules` reads it. promtool is Debian's `prometheus` package (`.ci/run`
 * installs it); without it the check fails — it never passes by skipping.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

/** The promtool to run: `PROMTOOL` when set, else the one on PATH. */
export function promtoolPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.PROMTOOL ?? 'promtool';
}

export const INSTALL_PROMTOOL =
  'promtool is part of Prometheus: `apt-get install prometheus` (Debian/Ubuntu; .ci/run installs it), or put a promtool from https://prometheus.io/download/ on PATH or in PROMTOOL';

/** The name of the recording rule that carries expression `index`, so promtool's errors point back to it. */
export function recordName(index: number): string {
  return `crosscheck_expression_${index}`;
}

/**
 * The indexes of the expressions promtool cannot parse, each with promtool's reason. Throws when
 * promtool cannot be run, saying how to install it.
 */
export function unparsableExpressions(
  expressions: readonly string[],
  promtool = promtoolPath(),
): Map<number, string> {
  const failed = new Map<number, string>();
  if (expressions.length === 0) return failed;
  const folder = mkdtempSync(path.join(tmpdir(), 'atc-promql-'));
  try {
    const file = path.join(folder, 'expressions.rules.yaml');
    // One group per expression: promtool reports every bad rule, naming its group.
    const groups = expressions.map((expr, index) => ({
      name: recordName(index),
      rules: [{ record: recordName(index), expr }],
    }));
    writeFileSync(file, stringify({ groups }));
    const run = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
    if (run.error) throw new Error(`cannot run ${promtool} (${run.error.message}). ${INSTALL_PROMTOOL}`);
    if (run.status === 0) return failed;
    const output = `${run.stdout}\n${run.stderr}`;
    for (const line of output.split('\n')) {
      const named = /crosscheck_expression_(\d+)/.exec(line);
      // Past the temporary file's name and position: `could not parse expression: 1:16: parse error: …`.
      const reason = /"crosscheck_expression_\d+": (.*)$/.exec(line)?.[1] ?? line.trim();
      if (named?.[1] !== undefined) failed.set(Number(named[1]), reason);
    }
    if (failed.size === 0)
      throw new Error(`${promtool} check rules failed without naming a rule:\n${output}`);
    return failed;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
