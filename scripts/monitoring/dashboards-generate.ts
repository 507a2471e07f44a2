/**
 * `npm run dashboards:generate`: renders every dashboard of scripts/monitoring/dashboards into
 * k8s/monitoring/dashboards/<uid>.json (for a by-hand import) and an identical copy into
 * charts/atc/files/dashboards/<uid>.json (the chart's dashboard ConfigMaps read that folder).
 * `--check` (`npm run dashboards:check`, part of `npm run check`) writes nothing and fails when a
 * committed file differs, is missing or is left over from a dashboard that no longer exists.
 *
 * The output is deterministic: panel ids and query refIds are numbered in order, object keys are
 * sorted, uid and version are fixed in the sources, and prettier formats the text.
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import prettier from 'prettier';
import { buildDashboards, DASHBOARD_DIRECTORIES, REPOSITORY_ROOT } from './dashboards/index';

export interface RenderedDashboard {
  readonly uid: string;
  readonly file: string;
  readonly text: string;
}

/** The files' text, formatted with the repository's prettier settings (so `npm run format:check` agrees). */
export async function renderDashboards(): Promise<RenderedDashboard[]> {
  const config = (await prettier.resolveConfig(path.join(REPOSITORY_ROOT, 'package.json'))) ?? {};
  const rendered: RenderedDashboard[] = [];
  for (const dashboard of buildDashboards()) {
    const text = await prettier.format(JSON.stringify(dashboard), { ...config, parser: 'json' });
    const uid = String(dashboard.uid);
    rendered.push({ uid, file: `${uid}.json`, text });
  }
  return rendered;
}

/** What differs between the rendered dashboards and the files under `root`; empty when none. */
export function dashboardDrift(rendered: readonly RenderedDashboard[], root = REPOSITORY_ROOT): string[] {
  const problems: string[] = [];
  const expected = new Set(rendered.map((d) => d.file));
  for (const directory of DASHBOARD_DIRECTORIES) {
    for (const dashboard of rendered) {
      const file = path.join(root, directory, dashboard.file);
      if (!existsSync(file)) problems.push(`${directory}/${dashboard.file} is missing`);
      else if (readFileSync(file, 'utf8') !== dashboard.text)
        problems.push(`${directory}/${dashboard.file} differs from what its source generates`);
    }
    const folder = path.join(root, directory);
    const present = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.json')) : [];
    for (const file of present.filter((f) => !expected.has(f)))
      problems.push(`${directory}/${file} is no dashboard's output any more`);
  }
  return problems;
}

export function writeDashboards(rendered: readonly RenderedDashboard[], root = REPOSITORY_ROOT): void {
  const expected = new Set(rendered.map((d) => d.file));
  for (const directory of DASHBOARD_DIRECTORIES) {
    const folder = path.join(root, directory);
    mkdirSync(folder, { recursive: true });
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json') && !expected.has(f)))
      rmSync(path.join(folder, file));
    for (const dashboard of rendered) writeFileSync(path.join(folder, dashboard.file), dashboard.text);
  }
}

/** `--root DIR` checks or writes another copy of the repository (the tests use a scratch one). */
function rootArgument(argv: readonly string[]): string {
  const index = argv.indexOf('--root');
  return index === -1 ? REPOSITORY_ROOT : path.resolve(argv[index + 1] ?? '.');
}

async function main(): Promise<number> {
  const rendered = await renderDashboards();
  const root = rootArgument(process.argv);
  if (process.argv.includes('--check')) {
    const problems = dashboardDrift(rendered, root);
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    if (problems.length) {
      process.stderr.write('Run `npm run dashboards:generate` and commit the result.\n');
      return 1;
    }
    process.stdout.write(
      `${rendered.length} dashboards up to date in ${DASHBOARD_DIRECTORIES.join(' and ')}\n`,
    );
    return 0;
  }
  writeDashboards(rendered, root);
  process.stdout.write(`${rendered.length} dashboards written to ${DASHBOARD_DIRECTORIES.join(' and ')}\n`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
