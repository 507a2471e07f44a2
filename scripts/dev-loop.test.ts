import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  at,
  databaseUrlProblems,
  makeDefault,
  makefileProblems,
  schemaProblems,
  statefulSetProblems,
} from './dev-loop-rules';
import { buildArgs, parseDocuments, type Values } from './skaffold-check';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

const postgresText = read('k8s/dev/postgres.yaml');
const postgres = parseDocuments(postgresText, 'k8s/dev/postgres.yaml') as Values[];
const statefulSet = postgres.find((o) => o.kind === 'StatefulSet')!;
const devValues = parseDocuments(read('k8s/dev/values.yaml'), 'k8s/dev/values.yaml')[0] as Values;
const kindConfig = parseDocuments(read('k8s/kind-config.yaml'), 'k8s/kind-config.yaml')[0] as Values;
const skaffold = parseDocuments(read('skaffold.yaml'), 'skaffold.yaml') as Values[];
const makefile = read('Makefile');

/** A deep copy of the StatefulSet with `edit` applied to its first container. */
function withContainer(edit: (container: Values) => void): Values {
  const copy = structuredClone(statefulSet);
  edit((at(copy, 'spec', 'template', 'spec', 'containers') as Values[])[0]!);
  return copy;
}

describe('k8s/dev/postgres.yaml, the DEV ONLY database', () => {
  it('says DEV ONLY before anything else', () => {
    expect(postgresText.split('\n').slice(0, 3).join('\n')).toMatch(/DEV ONLY - NEVER DEPLOY/);
  });

  it('holds a Secret, a Service and a StatefulSet that validate against their Kubernetes schemas', () => {
    expect(postgres.map((o) => o.kind).sort()).toEqual(['Secret', 'Secret', 'Service', 'StatefulSet']);
    expect(schemaProblems(postgres)).toEqual([]);
    const broken = structuredClone(statefulSet);
    (broken.spec as Values).replicas = 'one';
    expect(schemaProblems([broken])).toEqual([
      expect.stringMatching(/StatefulSet atc-dev-postgres: .*replicas/),
    ]);
  });

  it('runs PostgreSQL 15 non-root, read-only, without capabilities, with resources and probes', () => {
    expect(statefulSetProblems(statefulSet)).toEqual([]);
  });

  it.each<[string, (c: Values) => void, RegExp]>([
    [
      'a writable root filesystem',
      (c) => ((c.securityContext as Values).readOnlyRootFilesystem = false),
      /readOnlyRootFilesystem/,
    ],
    ['kept capabilities', (c) => ((c.securityContext as Values).capabilities = {}), /drop ALL/],
    ['no memory limit', (c) => delete ((c.resources as Values).limits as Values).memory, /limits\.memory/],
    ['no readiness probe', (c) => delete c.readinessProbe, /readinessProbe/],
    ['a floating image tag', (c) => (c.image = 'postgres:15'), /exact PostgreSQL 15 minor/],
  ])('fails with %s', (_, edit, message) => {
    expect(statefulSetProblems(withContainer(edit))).toEqual([expect.stringMatching(message)]);
  });

  it('fails when the pod may run as root', () => {
    const root = structuredClone(statefulSet);
    const security = at(root, 'spec', 'template', 'spec', 'securityContext') as Values;
    security.runAsUser = 0;
    delete security.runAsNonRoot;
    expect(statefulSetProblems(root)).toEqual([
      'pod: runAsNonRoot must be true',
      'pod: runAsUser must be a non-zero uid',
    ]);
  });

  it('holds the Secret the dev values name, whose DATABASE_URL reaches this server as its user', () => {
    const secretName = at(devValues, 'secrets', 'database', 'existingSecret');
    expect(secretName).toBe('atc-dev-database');
    expect(databaseUrlProblems(postgres, String(secretName))).toEqual([]);
    const wrong = structuredClone(postgres);
    const url = wrong.find((o) => at(o, 'metadata', 'name') === 'atc-dev-database')!.stringData as Values;
    url.DATABASE_URL = String(url.DATABASE_URL).replace('@atc-dev-postgres:5432', '@postgres:5433');
    expect(databaseUrlProblems(wrong, 'atc-dev-database')).toEqual([
      'DATABASE_URL host postgres is not the Service',
      "DATABASE_URL port 5433 is not the Service's 5432",
    ]);
  });
});

describe('k8s/kind-config.yaml', () => {
  it("names the cluster atc, whose context kind-atc activates every skaffold config's kind profile", () => {
    expect(kindConfig.name).toBe('atc');
    expect(makeDefault(makefile, 'KIND_CLUSTER')).toBe('atc');
    const activations = skaffold.map(
      (config) => (config.profiles as Values[]).find((p) => p.name === 'kind')?.activation,
    );
    expect(activations).toEqual(skaffold.map(() => [{ kubeContext: `kind-${String(kindConfig.name)}` }]));
  });

  it('makes the node ingress-ready: the label, and ports 80 and 443 on loopback', () => {
    const [node] = kindConfig.nodes as Values[];
    expect(at(node, 'labels', 'ingress-ready')).toBe('true');
    expect(
      (node!.extraPortMappings as Values[]).map((m) => [m.containerPort, m.hostPort, m.listenAddress]),
    ).toEqual([
      [80, 80, '127.0.0.1'],
      [443, 443, '127.0.0.1'],
    ]);
  });
});

describe('Makefile', () => {
  it('has help, image, image-smoke, chart-lint, chart-test, kind-up, kind-down and dev, each listed, .PHONY and checking its tools', () => {
    expect(makefileProblems(makefile)).toEqual([]);
  });

  it('fails when a target loses its help, its tool check or its command', () => {
    const broken = makefile
      .replace(/^(kind-down:) ## .*$/m, '$1')
      .replace(/^\t\$\(call require,skaffold,.*\n/m, '')
      .replace('npm run chart:lint', 'helm lint charts/atc');
    expect(makefileProblems(broken)).toEqual([
      'make chart-lint: does not run ^npm run chart:lint$',
      'make kind-down: no "## " help text, so make help does not list it',
      'make dev: does not check that skaffold is installed first',
    ]);
  });

  it("passes skaffold's image the same build arguments as make image, with the same base digest", () => {
    const image = makefile.slice(makefile.indexOf('\nimage:'));
    const makeArgs = [...image.slice(0, image.indexOf('\n\n')).matchAll(/--build-arg (\w+)=/g)].map(
      (m) => m[1],
    );
    const skaffoldArgs = buildArgs(skaffold).get('ghcr.io/atc/atc') ?? {};
    expect(Object.keys(skaffoldArgs).sort()).toEqual([...makeArgs].sort());
    const digest = makeDefault(makefile, 'NODE_IMAGE_DIGEST');
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(skaffoldArgs.NODE_IMAGE_DIGEST).toBe(`{{default "${digest}" .NODE_IMAGE_DIGEST}}`);
  });

  const withDockerfile = existsSync(path.join(ROOT, 'Dockerfile')) ? it : it.skip;
  withDockerfile('passes only build arguments the Dockerfile declares, and every one it requires', () => {
    const dockerfile = read('Dockerfile');
    const declared = [...dockerfile.matchAll(/^ARG (\w+)(=?)/gm)].map((m) => ({
      name: m[1]!,
      required: m[2] === '',
    }));
    const passed = Object.keys(buildArgs(skaffold).get('ghcr.io/atc/atc') ?? {});
    expect(passed.filter((name) => !declared.some((d) => d.name === name))).toEqual([]);
    expect(declared.filter((d) => d.required && !passed.includes(d.name)).map((d) => d.name)).toEqual([]);
  });
});
