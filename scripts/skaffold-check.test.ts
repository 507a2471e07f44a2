import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  chartSchemaErrors,
  effectiveValues,
  helmReleases,
  helmTemplateArgs,
  imageProblems,
  missingValuePaths,
  parseDocuments,
  releaseValuePaths,
  renderImageTemplates,
  skaffoldSchemaErrors,
  splitSetKey,
  type Values,
} from './skaffold-check';

const ROOT = path.resolve(__dirname, '..');
const CHART_VALUES = path.join(ROOT, 'charts/atc/values.yaml');
const CHART_SCHEMA = path.join(ROOT, 'charts/atc/values.schema.json');
const CHART_TEMPLATES = path.join(ROOT, 'charts/atc/templates');
const IMAGE = 'ghcr.io/atc/atc';

const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');
const readValuesFile = (file: string): Values => parseDocuments(read(file), file)[0] as Values;
const configs = parseDocuments(read('skaffold.yaml'), 'skaffold.yaml');
const skaffoldSchema = JSON.parse(read('k8s/schemas/skaffold-v4beta14.json')) as object;
const valuePaths = helmReleases(configs).flatMap((r) => releaseValuePaths(r, readValuesFile));

/** A copy of the parsed skaffold.yaml with `edit` applied to its `atc` config. */
function editedAtcConfig(edit: (atc: Values) => void): unknown[] {
  const copy = structuredClone(configs) as Values[];
  const atc = copy.find((c) => (c.metadata as Values | undefined)?.name === 'atc');
  if (!atc) throw new Error('skaffold.yaml has no config named atc');
  edit(atc);
  return copy;
}

/** The first Helm release of the `atc` config, for edits. */
const atcRelease = (atc: Values): Values =>
  ((atc.deploy as Values).helm as { releases: Values[] }).releases[0]!;

/**
 * The shared contract's chart values, as small as they can be: the paths the dev loop sets. The real
 * chart (K2) has many more; this stands in for it until it is merged and proves the check can fail.
 */
const CONTRACT_VALUES = `
image:
  repository: ${IMAGE}
  tag: ''
  digest: ''
  pullPolicy: IfNotPresent
trading:
  mode: paper
config:
  logFormat: json
dashboard:
  replicas: 2
heartbeat:
  schedule: '*/5 * * * *'
simulator:
  enabled: true
secrets:
  database:
    existingSecret: ''
`;

describe("skaffold.yaml against skaffold's v4beta14 JSON schema", () => {
  it('names apiVersion skaffold/v4beta14 and kind Config in every document', () => {
    expect(configs.map((c) => [(c as Values).apiVersion, (c as Values).kind])).toEqual(
      configs.map(() => ['skaffold/v4beta14', 'Config']),
    );
  });

  it('validates every document', () => {
    expect(skaffoldSchemaErrors(configs, skaffoldSchema)).toEqual([]);
  });

  it('rejects a misspelt field, a wrong type and a field skaffold does not have (the schema is strict)', () => {
    const misspelt = editedAtcConfig((atc) => {
      atcRelease(atc).chartPth = 'charts/atc';
    });
    const wrongType = editedAtcConfig((atc) => {
      (atc.portForward as Values[])[0]!.localPort = 'eighty';
    });
    const invented = editedAtcConfig((atc) => {
      ((atc.profiles as Values[])[0]!.build as { local: Values }).local.loadImages = true;
    });
    for (const broken of [misspelt, wrongType, invented]) {
      expect(skaffoldSchemaErrors(broken, skaffoldSchema)).not.toEqual([]);
    }
  });
});

describe('the values and the image skaffold sets, against a chart', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'atc-skaffold-check-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a values.yaml into the temporary directory and reads it back, as the check reads the chart's. */
  function chartValues(text: string): Values {
    const file = path.join(dir, 'values.yaml');
    writeFileSync(file, text);
    return parseDocuments(readFileSync(file, 'utf8'), file)[0] as Values;
  }

  it('sets image.repository, image.tag and image.digest from the one artifact, and trading.mode=paper', () => {
    const set = new Map(valuePaths.map((p) => [p.path.join('.'), p.value]));
    expect(set.get('image.repository')).toBe('{{.IMAGE_REPO_ghcr_io_atc_atc}}');
    expect(set.get('image.tag')).toBe('{{.IMAGE_TAG_ghcr_io_atc_atc}}');
    expect(set.get('image.digest')).toBe('{{.IMAGE_DIGEST_ghcr_io_atc_atc}}');
    expect(set.get('trading.mode')).toBe('paper');
  });

  it('finds every path in a chart that has the contract values', () => {
    const values = chartValues(CONTRACT_VALUES);
    expect(missingValuePaths(valuePaths, values, 'values.yaml')).toEqual([]);
    expect(imageProblems(configs, values.image && (values.image as Values).repository)).toEqual([]);
  });

  it('names the skaffold setting and the missing key when the chart lacks a path', () => {
    const values = chartValues(
      CONTRACT_VALUES.replace("  digest: ''\n", '').replace(/secrets:\n.*\n.*\n/, ''),
    );
    expect(missingValuePaths(valuePaths, values, 'values.yaml')).toEqual([
      expect.stringMatching(
        /setValueTemplates image\.digest: image\.digest is not in values\.yaml \(the chart has no key digest under image\)$/,
      ),
      expect.stringMatching(
        /valuesFiles k8s\/dev\/values\.yaml key secrets\.database\.existingSecret: .*no key secrets under \(top level\)\)$/,
      ),
    ]);
  });

  it('fails when the chart holds a scalar where skaffold sets a map key', () => {
    const values = chartValues(CONTRACT_VALUES.replace(/image:\n( {2}.*\n)+/, 'image: ghcr.io/atc/atc:1\n'));
    expect(missingValuePaths(valuePaths, values, 'values.yaml')).toContainEqual(
      expect.stringContaining('image is not a map'),
    );
  });

  it('fails when skaffold builds an image other than the chart image, or templates an unbuilt one', () => {
    expect(imageProblems(configs, 'ghcr.io/someone/else')).toEqual([
      "skaffold builds ghcr.io/atc/atc, but the chart's image.repository is ghcr.io/someone/else",
    ]);
    const unbuilt = editedAtcConfig((atc) => {
      (atcRelease(atc).setValueTemplates as Values)['image.tag'] = '{{.IMAGE_TAG_ghcr_io_atc_other}}';
    });
    expect(imageProblems(unbuilt, IMAGE)).toEqual([expect.stringContaining('IMAGE_…_ghcr_io_atc_other')]);
  });

  it('splits Helm --set keys on unescaped dots', () => {
    expect(splitSetKey('image.repository')).toEqual(['image', 'repository']);
    expect(splitSetKey('podAnnotations.example\\.com/owner')).toEqual([
      'podAnnotations',
      'example.com/owner',
    ]);
  });

  const chartMerged = existsSync(CHART_VALUES);
  const whenChart = chartMerged ? it : it.skip;

  whenChart('every values path skaffold sets exists in charts/atc/values.yaml', () => {
    const values = parseDocuments(readFileSync(CHART_VALUES, 'utf8'), CHART_VALUES)[0] as Values;
    expect(missingValuePaths(valuePaths, values, 'charts/atc/values.yaml')).toEqual([]);
  });

  whenChart("skaffold builds exactly the chart's image", () => {
    const values = parseDocuments(readFileSync(CHART_VALUES, 'utf8'), CHART_VALUES)[0] as Values;
    expect(imageProblems(configs, (values.image as Values | undefined)?.repository)).toEqual([]);
  });

  const whenSchema = existsSync(CHART_SCHEMA) && chartMerged ? it : it.skip;
  whenSchema("the dev values pass the chart's values.schema.json, loaded into kind and pushed", () => {
    const values = parseDocuments(readFileSync(CHART_VALUES, 'utf8'), CHART_VALUES)[0] as Values;
    const schema = JSON.parse(readFileSync(CHART_SCHEMA, 'utf8')) as Values;
    const loaded = renderImageTemplates(valuePaths, IMAGE, '3f1c2d9e8b7a', '');
    const pushed = renderImageTemplates(valuePaths, IMAGE, '3f1c2d9e8b7a', `sha256:${'a'.repeat(64)}`);
    expect([
      ...chartSchemaErrors(effectiveValues(values, loaded), schema, 'kind'),
      ...chartSchemaErrors(effectiveValues(values, pushed), schema, 'pushed'),
    ]).toEqual([]);
  });
});

describe('the chart rendered as skaffold installs it', () => {
  const whenTemplates = existsSync(CHART_TEMPLATES) && existsSync(CHART_VALUES) ? it : it.skip;

  whenTemplates(
    'runs every container on the image skaffold built, and has the Service skaffold forwards',
    () => {
      // k8s-tools.mjs is ESM and jest runs CommonJS: run it as a process; it prints the tools folder.
      const toolsDir = execFileSync(process.execPath, [path.join(ROOT, 'scripts/k8s-tools.mjs')], {
        encoding: 'utf8',
      }).trim();
      const [devRelease] = helmReleases(configs);
      if (!devRelease) throw new Error('skaffold.yaml has no Helm release');
      const render = (template: string): string =>
        template
          .replace('{{.IMAGE_REPO_ghcr_io_atc_atc}}', IMAGE)
          .replace('{{.IMAGE_TAG_ghcr_io_atc_atc}}', '3f1c2d9e8b7a')
          .replace('{{.IMAGE_DIGEST_ghcr_io_atc_atc}}', '');
      const manifest = execFileSync(
        path.join(toolsDir, 'helm'),
        helmTemplateArgs(devRelease.release, render),
        {
          cwd: ROOT,
          encoding: 'utf8',
          maxBuffer: 32 * 1024 * 1024,
        },
      );
      const objects = parseDocuments(manifest, 'helm template').filter(Boolean) as Values[];
      const images = new Set(
        objects.flatMap((o) => {
          const spec = JSON.stringify(o);
          return [...spec.matchAll(/"image":"([^"]+)"/g)].map((m) => m[1]);
        }),
      );
      expect([...images]).toEqual([`${IMAGE}:3f1c2d9e8b7a`]);
      const atc = configs.find((c) => (c as Values).portForward) as Values;
      for (const forward of atc.portForward as Values[]) {
        const service = objects.find(
          (o) => o.kind === 'Service' && (o.metadata as Values).name === forward.resourceName,
        );
        expect(service).toBeDefined();
        const ports = ((service!.spec as Values).ports as Values[]).map((p) => p.port);
        expect(ports).toContain(forward.port);
      }
    },
  );
});
