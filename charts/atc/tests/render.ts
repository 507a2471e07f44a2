/**
 * Renders charts/atc with the pinned `helm` (unpacked by scripts/k8s-tools.mjs) and parses the
 * manifests. Each distinct render is cached for the life of the test file (jest gives every file
 * its own module registry), so the rule tests share one `helm template` per scenario.
 *
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..');
export const CHART_DIR = resolve(__dirname, '..');
/** The release name: the chart's fullname is then just `atc` (the release name contains the chart name). */
export const RELEASE = 'atc';
export const FULLNAME = 'atc';
export const NAMESPACE = 'trading';
/** The oldest Kubernetes the chart supports (Chart.yaml kubeVersion). */
export const OLDEST_KUBE_VERSION = '1.27.0';
/** CRD groups the chart may render for: rendering assumes their operators are installed. */
const CRD_API_VERSIONS = ['keda.sh/v1alpha1', 'external-secrets.io/v1', 'monitoring.coreos.com/v1'];

/** A rendered Kubernetes object; `source` is the template it came from (helm's `# Source:` line). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface RenderOptions {
  /** A chart directory other than charts/atc (a mutated temporary copy). */
  chartDir?: string;
  /** Values files, relative to the chart directory (`ci/live.yaml`) or absolute. */
  valuesFiles?: string[];
  /** `--set` pairs. */
  set?: Record<string, string | number | boolean>;
  /** `--set-string` pairs (to pass a number as a string). */
  setString?: Record<string, string>;
  /** Defaults to the newest Kubernetes helm knows (its client version). */
  kubeVersion?: string;
}

let helmPath: string | undefined;
/** Helm's config, cache and data folders: in the ignored .tools folder, never the user's. */
const HELM_HOME = join(REPOSITORY_ROOT, '.tools', 'helm-home');

/** The pinned helm binary, unpacked on first use. */
export function helm(): string {
  if (helmPath === undefined) {
    // k8s-tools.mjs is ESM and jest runs CommonJS, so it runs as a process: it prints the tools folder.
    const toolsDir = execFileSync(process.execPath, [join(REPOSITORY_ROOT, 'scripts', 'k8s-tools.mjs')], {
      encoding: 'utf8',
    }).trim();
    helmPath = join(toolsDir, 'helm');
  }
  return helmPath;
}

/** Runs the pinned helm with its own config, cache and data folders. */
export function runHelm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(helm(), args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH ?? '',
      HELM_CONFIG_HOME: join(HELM_HOME, 'config'),
      HELM_CACHE_HOME: join(HELM_HOME, 'cache'),
      HELM_DATA_HOME: join(HELM_HOME, 'data'),
    },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let newestKubeVersionCache: string | undefined;

/** The newest Kubernetes version this helm knows (`KubeClientVersion`, e.g. `v1.35`), as `1.35.0`. */
export function newestKubeVersion(): string {
  if (newestKubeVersionCache === undefined) {
    const { stdout } = runHelm(['version', '--template', '{{.KubeClientVersion}}']);
    const match = /^v?(\d+)\.(\d+)/.exec(stdout.trim());
    if (!match) throw new Error(`helm version printed no Kubernetes client version: ${stdout}`);
    newestKubeVersionCache = `${match[1]}.${match[2]}.0`;
  }
  return newestKubeVersionCache;
}

/** Both ends of the supported range. */
export function kubeVersions(): string[] {
  return [OLDEST_KUBE_VERSION, newestKubeVersion()];
}

/** The ci scenarios (`charts/atc/ci/*.yaml`), as paths relative to the chart. */
export function scenarios(chartDir = CHART_DIR): string[] {
  let names: string[];
  try {
    names = readdirSync(join(chartDir, 'ci'));
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => `ci/${name}`);
}

function templateArgs(options: RenderOptions): string[] {
  const chartDir = options.chartDir ?? CHART_DIR;
  const args = ['template', RELEASE, chartDir, '--namespace', NAMESPACE];
  args.push('--kube-version', options.kubeVersion ?? newestKubeVersion());
  for (const apiVersion of CRD_API_VERSIONS) args.push('--api-versions', apiVersion);
  for (const file of options.valuesFiles ?? []) args.push('--values', resolve(chartDir, file));
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${String(value)}`);
  for (const [key, value] of Object.entries(options.setString ?? {}))
    args.push('--set-string', `${key}=${value}`);
  return args;
}

/** Parses helm's multi-document output; a YAML error in a manifest throws. */
export function parseManifests(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`unparsable manifest: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as KubeObject);
  }
  return objects;
}

const renders = new Map<string, KubeObject[]>();

/** `helm template` → the rendered objects (cached per options). Throws with helm's message on failure. */
export function render(options: RenderOptions = {}): KubeObject[] {
  const args = templateArgs(options);
  const key = JSON.stringify(args);
  const cached = renders.get(key);
  if (cached) return cached;
  const { status, stdout, stderr } = runHelm(args);
  if (status !== 0) throw new Error(`helm template failed (${status}): ${stderr.trim()}`);
  const objects = parseManifests(stdout);
  renders.set(key, objects);
  return objects;
}

/** `helm template` that must fail → helm's error text. Throws when the render succeeds. */
export function renderFailure(options: RenderOptions): string {
  const { status, stderr } = runHelm(templateArgs(options));
  if (status === 0) throw new Error(`helm template succeeded with ${JSON.stringify(options)}`);
  return stderr;
}

/** A temporary copy of the chart to mutate; `remove()` deletes it. */
export function copyChart(): { dir: string; remove: () => void } {
  const parent = mkdtempSync(join(tmpdir(), 'atc-chart-'));
  const dir = join(parent, 'atc');
  cpSync(CHART_DIR, dir, {
    recursive: true,
    filter: (source) => !source.startsWith(join(CHART_DIR, 'tests')),
  });
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/** `Kind/name`, for messages. */
export function objectName(object: KubeObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

type Values = Record<string, unknown>;

function isPlainObject(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Helm's coalescing of values: maps merge key by key, anything else replaces. */
function mergeValues(base: Values, override: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

/** A `--set` path (`a.b.c`) as nested values. */
function setPath(path: string, value: unknown): Values {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Values;
}

/**
 * The values a render uses: values.yaml, then the values files, then `--set` (booleans and numbers
 * as helm parses them) and `--set-string`. For tests that ask what a scenario configures.
 */
export function valuesOf(options: RenderOptions = {}): Values {
  const chartDir = options.chartDir ?? CHART_DIR;
  const read = (file: string): Values =>
    (parse(readFileSync(resolve(chartDir, file), 'utf8')) ?? {}) as Values;
  let values = read('values.yaml');
  for (const file of options.valuesFiles ?? []) values = mergeValues(values, read(file));
  for (const [key, value] of Object.entries(options.set ?? {})) {
    const parsed =
      typeof value === 'string' && /^(true|false|-?\d+)$/.test(value)
        ? (JSON.parse(value) as unknown)
        : value;
    values = mergeValues(values, setPath(key, parsed));
  }
  for (const [key, value] of Object.entries(options.setString ?? {}))
    values = mergeValues(values, setPath(key, value));
  return values;
}
