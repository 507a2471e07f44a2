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
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { DASHBOARDS } from './dashboards/index';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
/** Where the generated files go, relative to the repository root. */
export const DASHBOARD_DIRECTORIES = ['k8s/monitoring/dashboards', 'charts/atc/files/dashboards'] as const;

export interface RenderedDashboard {
  readonly uid: string;
  readonly file: string;
  readonly text: string;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Numbers panels 1..n in reading order (rows included) and their queries A, B, …. */
function numberPanels(dashboard: Dashboard): void {
  let id = 0;
  for (const panel of dashboard.panels ?? []) {
    panel.id = ++id;
    if (!('targets' in panel)) continue;
    (panel.targets ?? []).forEach((target, index) => {
      (target as { refId?: string }).refId = REF_IDS[index];
    });
  }
}

/** A copy of `value` whose objects list their keys in sorted order, so the text never reorders. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

export async function renderDashboards(): Promise<RenderedDashboard[]> {
  const config = (await prettier.resolveConfig(path.join(REPOSITORY_ROOT, 'package.json'))) ?? {};
  const rendered: RenderedDashboard[] = [];
  for (const build of DASHBOARDS) {
    const dashboard = build();
    if (!dashboard.uid) throw new Error(`dashboard "${dashboard.title}" has no uid`);
    numberPanels(dashboard);
    const text = await prettier.format(JSON.stringify(sortKeys(dashboard)), { ...config, parser: 'json' });
    rendered.push({ uid: dashboard.uid, file: `${dashboard.uid}.json`, text });
  }
  const uids = rendered.map((d) => d.uid);
  const duplicate = uids.find((uid, index) => uids.indexOf(uid) !== index);
  if (duplicate) throw new Error(`two dashboards share the uid ${duplicate}`);
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

async function main(): Promise<number> {
  const rendered = await renderDashboards();
  if (process.argv.includes('--check')) {
    const problems = dashboardDrift(rendered);
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
  writeDashboards(rendered);
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
