#!/usr/bin/env node
/**
 * `npm run chart:lint`: `helm lint --strict` of charts/atc with its default values and with each
 * `charts/atc/ci/*.yaml` scenario, at the oldest supported Kubernetes (Chart.yaml kubeVersion) and at
 * the newest this helm knows, using the pinned helm (scripts/k8s-tools.mjs). Exits 1 when any run
 * reports an error or a warning.
 *
 * Usage: `node scripts/chart-lint.mjs [chart-dir]` (default charts/atc).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolPath } from './k8s-tools.mjs';

const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OLDEST_KUBE_VERSION = '1.27.0';

const chartDir = resolve(process.argv[2] ?? join(REPOSITORY_ROOT, 'charts', 'atc'));
const helm = toolPath('helm');
// Helm's config, cache and data folders: in the ignored .tools folder, never the user's.
const helmHome = join(REPOSITORY_ROOT, '.tools', 'helm-home');
const env = {
  PATH: process.env.PATH ?? '',
  HELM_CONFIG_HOME: join(helmHome, 'config'),
  HELM_CACHE_HOME: join(helmHome, 'cache'),
  HELM_DATA_HOME: join(helmHome, 'data'),
};

function runHelm(args) {
  const result = spawnSync(helm, args, { encoding: 'utf8', env });
  if (result.error) throw result.error;
  return result;
}

function newestKubeVersion() {
  const { stdout } = runHelm(['version', '--template', '{{.KubeClientVersion}}']);
  const match = /^v?(\d+)\.(\d+)/.exec(stdout.trim());
  if (!match) throw new Error(`helm version printed no Kubernetes client version: ${stdout}`);
  return `${match[1]}.${match[2]}.0`;
}

const ciDir = join(chartDir, 'ci');
const scenarios = existsSync(ciDir)
  ? readdirSync(ciDir)
      .filter((name) => name.endsWith('.yaml'))
      .sort()
      .map((name) => join(ciDir, name))
  : [];

let failures = 0;
for (const kubeVersion of [OLDEST_KUBE_VERSION, newestKubeVersion()]) {
  for (const values of [undefined, ...scenarios]) {
    const label = `${values ? relative(chartDir, values) : 'default values'} on Kubernetes ${kubeVersion}`;
    const args = ['lint', '--strict', chartDir, '--kube-version', kubeVersion];
    if (values) args.push('--values', values);
    const { status, stdout, stderr } = runHelm(args);
    if (status === 0) {
      process.stdout.write(`ok    ${label}\n`);
    } else {
      failures += 1;
      process.stdout.write(`FAIL  ${label}\n${stdout}${stderr}\n`);
    }
  }
}
if (failures > 0) {
  process.stderr.write(`chart:lint: ${failures} run(s) of helm lint --strict failed\n`);
  process.exit(1);
}
