/**
 * Read the rendered objects: the workloads (Deployments, Jobs, CronJobs and the helm test Pod), their
 * pod specs and containers, and the environment a container will see.
 *
 * @module
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { KubeObject } from './render';

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: IPodSpec;
}

export interface Workload {
  object: KubeObject;
  /** The pod template (a Pod is its own template). */
  template: PodTemplate;
}

/** A field path through plain objects, or undefined where it stops. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function ofKind(objects: KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind);
}

export function named(objects: KubeObject[], kind: string, name: string): KubeObject | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name);
}

/** The object's pod template, for the kinds that run pods. */
export function podTemplate(object: KubeObject): PodTemplate | undefined {
  switch (object.kind) {
    case 'Deployment':
    case 'Job':
      return at(object, 'spec', 'template') as PodTemplate | undefined;
    case 'CronJob':
      return at(object, 'spec', 'jobTemplate', 'spec', 'template') as PodTemplate | undefined;
    case 'Pod':
      return { metadata: object.metadata, spec: object.spec as IPodSpec };
    default:
      return undefined;
  }
}

export function workloads(objects: KubeObject[]): Workload[] {
  const found: Workload[] = [];
  for (const object of objects) {
    const template = podTemplate(object);
    if (template) found.push({ object, template });
  }
  return found;
}

/** Every container of a pod spec, init containers included. */
export function allContainers(spec: IPodSpec): IContainer[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/**
 * The value a container's environment variable will have: its `env` entry, else the `envFrom`
 * ConfigMaps rendered alongside (last one wins, as in Kubernetes); undefined when it is unset or
 * comes from a Secret or a field reference.
 */
export function envValue(container: IContainer, name: string, objects: KubeObject[]): string | undefined {
  const entry = container.env?.find((variable) => variable.name === name);
  if (entry) return entry.value;
  let value: string | undefined;
  for (const source of container.envFrom ?? []) {
    const configMapName = source.configMapRef?.name;
    if (!configMapName) continue;
    const configMap = named(objects, 'ConfigMap', configMapName);
    const data = at(configMap, 'data') as Record<string, string> | undefined;
    const prefix = source.prefix ?? '';
    if (!name.startsWith(prefix)) continue;
    const fromConfigMap = data?.[name.slice(prefix.length)];
    if (fromConfigMap !== undefined) value = fromConfigMap;
  }
  return value;
}

/** Whether a label selector (matchLabels only, as the chart writes them) selects these labels. */
export function selects(selector: unknown, labels: Record<string, string> | undefined): boolean {
  const matchLabels = at(selector, 'matchLabels') as Record<string, string> | undefined;
  if (!matchLabels || Object.keys(matchLabels).length === 0) return false;
  return Object.entries(matchLabels).every(([key, value]) => labels?.[key] === value);
}
