/**
 * `npm run alerts:generate` writes k8s/monitoring/atc.rules.yaml and the chart's PrometheusRule
 * template from scripts/monitoring/alert-rules.ts; `npm run alerts:generate:check` (part of
 * `npm run check`) writes nothing and exits 1 when either drifted.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import {
  CHART_RULE_TEMPLATE,
  chartRuleTemplateText,
  REPOSITORY_ROOT,
  RULES_FILE,
  rulesFileSource,
} from './alert-rules-files';

/** `text` as prettier writes it (so `npm run format:check` agrees with the generated file). */
async function formatted(file: string, text: string): Promise<string> {
  const options = await resolveConfig(file);
  return format(text, { ...options, filepath: file });
}

/** Every generated file and its expected text (the chart's templates are not prettier's business). */
async function generatedFiles(): Promise<Map<string, string>> {
  return new Map([
    [RULES_FILE, await formatted(RULES_FILE, rulesFileSource())],
    [CHART_RULE_TEMPLATE, chartRuleTemplateText()],
  ]);
}

function current(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = await generatedFiles();
  const drifted = [...files].filter(([file, text]) => current(file) !== text).map(([file]) => file);
  const names = (list: string[]): string =>
    list.map((file) => path.relative(REPOSITORY_ROOT, file)).join(', ');
  if (check) {
    if (drifted.length === 0) return void process.stdout.write('alert rules are up to date\n');
    process.stderr.write(
      `${names(drifted)} drifted from scripts/monitoring/alert-rules.ts: run npm run alerts:generate\n`,
    );
    process.exit(1);
  }
  for (const [file, text] of files) writeFileSync(file, text);
  process.stdout.write(`wrote ${names([...files.keys()])}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`alerts:generate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
