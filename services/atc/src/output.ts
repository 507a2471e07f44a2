/**
 * CLI output: JSON for scripts (`--json`), aligned tables for people. Written to stdout, never logged.
 * @module
 */
export function writeLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** A line for the operator that is not the command's answer (a warning, a partial failure): stderr. */
export function writeErrorLine(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function writeJson(value: unknown): void {
  writeLine(JSON.stringify(value, null, 2));
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString();
  return JSON.stringify(value);
}

export function formatTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  if (rows.length === 0) return '(none)';
  const keys = columns ?? Object.keys(rows[0]!);
  const cells = rows.map((row) => keys.map((key) => cell(row[key])));
  const widths = keys.map((key, i) => Math.max(key.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
