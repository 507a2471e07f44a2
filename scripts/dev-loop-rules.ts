// Rules for the developer loop's files besides skaffold.yaml (which skaffold-check.ts covers): the
// DEV ONLY PostgreSQL of k8s/dev/postgres.yaml, the kind cluster config, and the Makefile's
// Kubernetes targets. Each function returns one message per broken rule, so a test can show both
// that the repository's files pass and that a broken copy fails.
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';

type Data = Record<string, unknown>;

const MODELS: Record<string, (object: Data) => { validate(): void }> = {
  Secret: (o) => new Secret(o),
  Service: (o) => new Service(o),
  StatefulSet: (o) => new StatefulSet(o),
};

function isMap(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a nested field (`at(o, 'spec', 'template')`), undefined when any step is missing. */
export function at(object: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), object);
}

/** Each object against its Kubernetes schema (kubernetes-models); only the kinds the file may hold. */
export function schemaProblems(objects: readonly Data[]): string[] {
  return objects.flatMap((object) => {
    const label = `${String(object.kind)} ${String(at(object, 'metadata', 'name'))}`;
    const model = MODELS[String(object.kind)];
    if (!model) return [`${label}: only a Secret, a Service and a StatefulSet belong in the dev database`];
    try {
      model(object).validate();
      return [];
    } catch (error) {
      return [`${label}: ${(error as Error).message}`];
    }
  });
}

/** The hardening the chart's pods have, on every container of the StatefulSet; plus resources and probes. */
export function statefulSetProblems(statefulSet: Data): string[] {
  const pod = at(statefulSet, 'spec', 'template', 'spec');
  const problems: string[] = [];
  const podSecurity = at(pod, 'securityContext');
  if (at(podSecurity, 'runAsNonRoot') !== true) problems.push('pod: runAsNonRoot must be true');
  if (!(Number(at(podSecurity, 'runAsUser')) > 0)) problems.push('pod: runAsUser must be a non-zero uid');
  if (at(podSecurity, 'seccompProfile', 'type') !== 'RuntimeDefault')
    problems.push('pod: seccomp RuntimeDefault');
  if (at(pod, 'automountServiceAccountToken') !== false)
    problems.push('pod: automountServiceAccountToken false');
  const containers = at(pod, 'containers');
  for (const container of Array.isArray(containers) ? containers.filter(isMap) : []) {
    const name = `container ${String(container.name)}`;
    const security = container.securityContext;
    if (at(security, 'readOnlyRootFilesystem') !== true) problems.push(`${name}: readOnlyRootFilesystem`);
    if (at(security, 'allowPrivilegeEscalation') !== false)
      problems.push(`${name}: allowPrivilegeEscalation false`);
    const drop = at(security, 'capabilities', 'drop');
    if (!Array.isArray(drop) || !drop.includes('ALL')) problems.push(`${name}: capabilities drop ALL`);
    for (const kind of ['requests', 'limits']) {
      if (!at(container, 'resources', kind, 'memory')) problems.push(`${name}: resources.${kind}.memory`);
    }
    for (const probe of ['readinessProbe', 'livenessProbe']) {
      if (!isMap(container[probe])) problems.push(`${name}: ${probe}`);
    }
    if (!/^(docker\.io\/library\/)?postgres:15\.\d+$/.test(String(container.image))) {
      problems.push(
        `${name}: image must be an exact PostgreSQL 15 minor (postgres:15.N), not ${String(container.image)}`,
      );
    }
  }
  return problems;
}

/**
 * The database URL of the Secret `secretName` must reach the file's Service on its port, with the
 * user, password and database the server is bootstrapped with.
 */
export function databaseUrlProblems(objects: readonly Data[], secretName: string): string[] {
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const secret = byKind('Secret').find((o) => at(o, 'metadata', 'name') === secretName);
  const url = at(secret, 'stringData', 'DATABASE_URL');
  if (typeof url !== 'string') return [`Secret ${secretName} with key DATABASE_URL (stringData)`];
  const parsed = new URL(url);
  const service = byKind('Service')[0];
  const port = at(service, 'spec', 'ports');
  const servicePort = Array.isArray(port) && isMap(port[0]) ? String(port[0].port) : undefined;
  const bootstrap = byKind('Secret')
    .map((o) => at(o, 'stringData'))
    .find((data) => isMap(data) && 'POSTGRES_PASSWORD' in data) as Data | undefined;
  const problems: string[] = [];
  if (parsed.hostname !== at(service, 'metadata', 'name'))
    problems.push(`DATABASE_URL host ${parsed.hostname} is not the Service`);
  if (parsed.port !== servicePort)
    problems.push(`DATABASE_URL port ${parsed.port} is not the Service's ${String(servicePort)}`);
  if (!bootstrap) return [...problems, 'a Secret with POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB'];
  if (decodeURIComponent(parsed.username) !== bootstrap.POSTGRES_USER)
    problems.push('DATABASE_URL user is not POSTGRES_USER');
  if (decodeURIComponent(parsed.password) !== bootstrap.POSTGRES_PASSWORD)
    problems.push('DATABASE_URL password is not POSTGRES_PASSWORD');
  if (parsed.pathname.slice(1) !== bootstrap.POSTGRES_DB)
    problems.push('DATABASE_URL database is not POSTGRES_DB');
  return problems;
}

/** A Makefile target: its help text (`## …`) and its recipe lines. */
export interface MakeTarget {
  readonly help: string | undefined;
  readonly recipe: string[];
}

/** The targets of a Makefile (rule lines `name: [prereqs] [## help]` and their tab-indented recipes). */
export function makeTargets(makefile: string): Map<string, MakeTarget> {
  const targets = new Map<string, MakeTarget>();
  let current: MakeTarget | undefined;
  for (const line of makefile.split('\n')) {
    const rule = /^([a-z][a-z0-9-]*):(?!=)([^#]*)(?:## (.*))?$/.exec(line);
    if (rule) {
      current = { help: rule[3]?.trim(), recipe: [] };
      targets.set(rule[1]!, current);
    } else if (line.startsWith('\t') && current) {
      current.recipe.push(line.trim());
    } else if (line.trim() !== '' && !line.startsWith('\t')) {
      current = undefined;
    }
  }
  return targets;
}

/** The names a Makefile declares .PHONY. */
export function phonyTargets(makefile: string): Set<string> {
  return new Set(
    makefile
      .split('\n')
      .filter((line) => line.startsWith('.PHONY:'))
      .flatMap((line) => line.slice('.PHONY:'.length).trim().split(/\s+/)),
  );
}

/** A `NAME ?= value` default of the Makefile. */
export function makeDefault(makefile: string, name: string): string | undefined {
  return new RegExp(`^${name} \\?= (.*)$`, 'm').exec(makefile)?.[1]?.trim();
}

/** What each Kubernetes target must run, and the tools it must check for first. */
export const KUBERNETES_TARGETS: Record<string, { runs: RegExp; requires: string[] }> = {
  image: { runs: /^docker buildx build/, requires: ['docker'] },
  'image-smoke': { runs: /^npm run image:smoke$/, requires: [] },
  'chart-lint': { runs: /^npm run chart:lint$/, requires: [] },
  'chart-test': { runs: /^npm run chart:test$/, requires: [] },
  'kind-up': {
    runs: /kind create cluster --config k8s\/kind-config\.yaml --name \$\(KIND_CLUSTER\)/,
    requires: ['docker', 'kind'],
  },
  'kind-down': { runs: /^kind delete cluster --name \$\(KIND_CLUSTER\)$/, requires: ['kind'] },
  dev: {
    runs: /skaffold dev --kube-context \$\(KUBE_CONTEXT\) -p kind --port-forward\b/,
    requires: ['docker', 'skaffold', 'helm', 'kubectl'],
  },
};

/** The Makefile's help, .PHONY, delegation and tool checks for the Kubernetes targets. */
export function makefileProblems(makefile: string): string[] {
  const targets = makeTargets(makefile);
  const phony = phonyTargets(makefile);
  const problems: string[] = [];
  const checked: Record<string, { runs: RegExp; requires: string[] }> = {
    help: { runs: /grep/, requires: [] },
    ...KUBERNETES_TARGETS,
  };
  for (const [name, { runs, requires }] of Object.entries(checked)) {
    const target = targets.get(name);
    if (!target) {
      problems.push(`make ${name}: missing`);
      continue;
    }
    if (!target.help) problems.push(`make ${name}: no "## " help text, so make help does not list it`);
    if (!phony.has(name)) problems.push(`make ${name}: not .PHONY`);
    if (!target.recipe.some((line) => runs.test(line)))
      problems.push(`make ${name}: does not run ${runs.source}`);
    for (const tool of requires) {
      const check = target.recipe.findIndex((line) => line.startsWith(`$(call require,${tool},`));
      const run = target.recipe.findIndex((line) => runs.test(line));
      if (check < 0 || check > run)
        problems.push(`make ${name}: does not check that ${tool} is installed first`);
    }
  }
  return problems;
}
