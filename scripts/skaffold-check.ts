// Checks skaffold.yaml against what it drives: skaffold's own JSON schema (a copy of v4beta14 in
// k8s/schemas/), and the chart it installs — every values path it sets (setValueTemplates,
// setValues, the keys of its valuesFiles) must exist in charts/atc/values.yaml, and every image it
// builds or templates must be the chart's image. Pure functions over parsed documents: the test
// (skaffold-check.test.ts) feeds them the repository's files and hand-made broken ones.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';

export type Values = Record<string, unknown>;

/** A values path skaffold sets, and where in skaffold.yaml it comes from (for error messages). */
export interface ValuePath {
  readonly path: readonly string[];
  readonly source: string;
  readonly value: unknown;
}

/** One Helm release of skaffold.yaml, where it was found. */
export interface SkaffoldRelease {
  readonly where: string;
  readonly release: Values;
}

const IMAGE_TEMPLATE =
  /\{\{\s*\.IMAGE_(?:FULLY_QUALIFIED|REPO_NO_DOMAIN|REPO|TAG|DIGEST|DOMAIN)_(\w+)\s*\}\}/g;

function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every YAML document of a multi-document file, as plain data; a YAML syntax error throws. */
export function parseDocuments(text: string, file: string): unknown[] {
  return parseAllDocuments(text).map((document, index) => {
    if (document.errors.length > 0) {
      throw new Error(`${file}: document ${index + 1}: ${document.errors.map((e) => e.message).join('; ')}`);
    }
    return document.toJS() as unknown;
  });
}

/** Readable lines for ajv errors: the document, the instance path, the message and its parameters. */
export function formatSchemaErrors(
  label: string,
  errors: readonly ErrorObject[] | null | undefined,
): string[] {
  return (errors ?? []).map(
    (e) => `${label}${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
  );
}

// Compiling skaffold's 240 kB schema takes most of a second: once per schema object.
const compiledSkaffoldSchemas = new WeakMap<object, ValidateFunction>();

function compileSkaffoldSchema(schema: object): ValidateFunction {
  // strict: false — the schema carries skaffold's editor keywords (preferredOrder, x-intellij-…).
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  compiledSkaffoldSchemas.set(schema, validate);
  return validate;
}

/** Validates each skaffold config against skaffold's JSON schema (draft-07, with its own keywords). */
export function skaffoldSchemaErrors(configs: readonly unknown[], schema: object): string[] {
  const validate = compiledSkaffoldSchemas.get(schema) ?? compileSkaffoldSchema(schema);
  return configs.flatMap((config, index) =>
    validate(config) ? [] : formatSchemaErrors(`skaffold.yaml document ${index + 1}: `, validate.errors),
  );
}

/** The config and every profile of every document: the places a build or deploy section may be. */
function pipelines(configs: readonly unknown[]): { where: string; pipeline: Values }[] {
  return configs.filter(isMap).flatMap((config, index) => {
    const name =
      isMap(config.metadata) && typeof config.metadata.name === 'string' ? config.metadata.name : index;
    const profiles = Array.isArray(config.profiles) ? config.profiles.filter(isMap) : [];
    return [
      { where: `config ${name}`, pipeline: config },
      ...profiles.map((p) => ({ where: `config ${name}, profile ${String(p.name)}`, pipeline: p })),
    ];
  });
}

/** The Helm releases of every config and profile (deploy.helm and manifests.helm). */
export function helmReleases(configs: readonly unknown[]): SkaffoldRelease[] {
  return pipelines(configs).flatMap(({ where, pipeline }) =>
    ['deploy', 'manifests'].flatMap((section) => {
      const stage = pipeline[section];
      const helm = isMap(stage) ? stage.helm : undefined;
      const releases = isMap(helm) && Array.isArray(helm.releases) ? helm.releases.filter(isMap) : [];
      return releases.map((release) => ({
        where: `${where}, ${section}.helm release ${String(release.name)}`,
        release,
      }));
    }),
  );
}

/** The images skaffold builds (build.artifacts[].image of every config and profile). */
export function artifactImages(configs: readonly unknown[]): string[] {
  return pipelines(configs).flatMap(({ pipeline }) => {
    const build = pipeline.build;
    const artifacts = isMap(build) && Array.isArray(build.artifacts) ? build.artifacts.filter(isMap) : [];
    return artifacts.map((a) => String(a.image));
  });
}

/** The docker build arguments of every artifact, by image. */
export function buildArgs(configs: readonly unknown[]): Map<string, Values> {
  const result = new Map<string, Values>();
  for (const { pipeline } of pipelines(configs)) {
    const build = pipeline.build;
    const artifacts = isMap(build) && Array.isArray(build.artifacts) ? build.artifacts.filter(isMap) : [];
    for (const a of artifacts) {
      const docker = isMap(a.docker) ? a.docker : {};
      result.set(String(a.image), isMap(docker.buildArgs) ? docker.buildArgs : {});
    }
  }
  return result;
}

/** skaffold's name for an artifact in IMAGE_* templates: `/`, `-`, `.` and `:` become `_`. */
export function sanitizedImageName(image: string): string {
  return image.replace(/[/.:-]/g, '_');
}

/** Splits a Helm `--set` key into its segments: `a.b` → [a, b]; `a\.b` keeps the dot. */
export function splitSetKey(key: string): string[] {
  return key
    .split(/(?<!\\)\./)
    .map((segment) => segment.replace(/\\\./g, '.'))
    .filter((segment) => segment.length > 0);
}

/** Every leaf path of a values document: a scalar, a list or an empty map ends a path. */
export function leafPaths(
  values: Values,
  prefix: readonly string[] = [],
): { path: string[]; value: unknown }[] {
  return Object.entries(values).flatMap(([key, value]) =>
    isMap(value) && Object.keys(value).length > 0
      ? leafPaths(value, [...prefix, key])
      : [{ path: [...prefix, key], value }],
  );
}

/**
 * Every values path a release sets: its setValueTemplates and setValues keys and the leaf paths of
 * its valuesFiles (read through `readValuesFile`, relative to the repository).
 */
export function releaseValuePaths(
  { where, release }: SkaffoldRelease,
  readValuesFile: (file: string) => Values,
): ValuePath[] {
  const fromSet = (field: 'setValueTemplates' | 'setValues'): ValuePath[] =>
    Object.entries(isMap(release[field]) ? release[field] : {}).map(([key, value]) => ({
      path: splitSetKey(key),
      source: `${where}: ${field} ${key}`,
      value,
    }));
  const files = Array.isArray(release.valuesFiles) ? release.valuesFiles.map(String) : [];
  const fromFiles = files.flatMap((file) =>
    leafPaths(readValuesFile(file)).map(({ path, value }) => ({
      path,
      source: `${where}: valuesFiles ${file} key ${path.join('.')}`,
      value,
    })),
  );
  return [...fromSet('setValueTemplates'), ...fromSet('setValues'), ...fromFiles];
}

/**
 * Why `path` does not name a value of the chart, or undefined when it does. An empty map in the
 * chart's values (resources: {}, podAnnotations: {}) is free-form: any key below it is accepted.
 */
export function missingPathReason(chartValues: Values, path: readonly string[]): string | undefined {
  let node: unknown = chartValues;
  for (const [index, segment] of path.entries()) {
    const here = path.slice(0, index).join('.') || '(top level)';
    if (!isMap(node)) return `${here} is not a map in the chart's values`;
    if (Object.keys(node).length === 0) return undefined;
    if (!(segment in node)) return `the chart has no key ${segment} under ${here}`;
    node = node[segment];
  }
  return undefined;
}

/** One message per path skaffold sets that charts/atc/values.yaml does not have. */
export function missingValuePaths(
  paths: readonly ValuePath[],
  chartValues: Values,
  valuesFile: string,
): string[] {
  return paths.flatMap(({ path, source }) => {
    const reason = missingPathReason(chartValues, path);
    return reason === undefined ? [] : [`${source}: ${path.join('.')} is not in ${valuesFile} (${reason})`];
  });
}

/**
 * Image problems: every artifact must be the chart's image repository, every IMAGE_* template must
 * name an artifact, and the release must set image.repository from that artifact.
 */
export function imageProblems(configs: readonly unknown[], chartImageRepository: unknown): string[] {
  const images = artifactImages(configs);
  const problems = images
    .filter((image) => image !== chartImageRepository)
    .map(
      (image) =>
        `skaffold builds ${image}, but the chart's image.repository is ${String(chartImageRepository)}`,
    );
  const known = new Set(images.map(sanitizedImageName));
  for (const { where, release } of helmReleases(configs)) {
    const templates = isMap(release.setValueTemplates) ? release.setValueTemplates : {};
    for (const [key, template] of Object.entries(templates)) {
      for (const match of String(template).matchAll(IMAGE_TEMPLATE)) {
        if (!known.has(match[1] ?? '')) {
          problems.push(
            `${where}: setValueTemplates ${key} names IMAGE_…_${match[1]}, which no artifact builds`,
          );
        }
      }
    }
    const template = templates['image.repository'];
    const repository = typeof template === 'string' ? template : '';
    const expected = images.map((image) => `{{.IMAGE_REPO_${sanitizedImageName(image)}}}`);
    if (!expected.includes(repository.replace(/\s+/g, ''))) {
      problems.push(
        `${where}: setValueTemplates image.repository must be one of ${expected.join(', ') || '(no artifact)'}`,
      );
    }
  }
  return problems;
}

/** Deep merge of Helm values: maps merge key by key, anything else replaces. */
export function mergeValues(base: Values, override: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isMap(current) && isMap(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

/** The values Helm would install with: the chart's, then each ValuePath in order. */
export function effectiveValues(chartValues: Values, paths: readonly ValuePath[]): Values {
  return paths.reduce<Values>((values, { path, value }) => {
    const override = [...path].reverse().reduce<unknown>((inner, key) => ({ [key]: inner }), value);
    return mergeValues(values, override as Values);
  }, chartValues);
}

/**
 * Renders skaffold's IMAGE_* templates the way skaffold would for `image`: repository, a tag, and
 * the digest given (empty when the image was loaded into kind rather than pushed).
 */
export function renderImageTemplates(
  paths: readonly ValuePath[],
  image: string,
  tag: string,
  digest: string,
): ValuePath[] {
  const name = sanitizedImageName(image);
  const fields: Record<string, string> = { REPO: image, TAG: tag, DIGEST: digest };
  return paths.map((p) =>
    typeof p.value === 'string'
      ? {
          ...p,
          value: p.value.replace(
            /\{\{\s*\.IMAGE_(REPO|TAG|DIGEST)_(\w+)\s*\}\}/g,
            (whole, field: string, n: string) => (n === name ? (fields[field] ?? whole) : whole),
          ),
        }
      : p,
  );
}

/** Validates values against the chart's values.schema.json (draft-07, or 2020-12 when it says so). */
export function chartSchemaErrors(values: Values, schema: Values, label: string): string[] {
  const draft2020 = typeof schema.$schema === 'string' && schema.$schema.includes('2020-12');
  const ajv = draft2020
    ? new Ajv2020({ strict: false, allErrors: true })
    : new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return validate(values) ? [] : formatSchemaErrors(`${label}: values`, validate.errors);
}

/**
 * The arguments of `helm template` that install a release the way skaffold does: its valuesFiles
 * (-f), setValues (--set) and setValueTemplates (--set-string, rendered by `render`).
 */
export function helmTemplateArgs(release: Values, render: (template: string) => string): string[] {
  const files = Array.isArray(release.valuesFiles) ? release.valuesFiles.map(String) : [];
  const entries = (field: string): [string, unknown][] =>
    Object.entries(isMap(release[field]) ? release[field] : {});
  return [
    'template',
    String(release.name),
    String(release.chartPath),
    ...files.flatMap((file) => ['-f', file]),
    ...entries('setValues').flatMap(([key, value]) => ['--set', `${key}=${String(value)}`]),
    ...entries('setValueTemplates').flatMap(([key, value]) => [
      '--set-string',
      `${key}=${render(String(value))}`,
    ]),
  ];
}
