/**
 * Validates a rendered object against its Kubernetes schema: built-in kinds through
 * kubernetes-models' `validate()` (the OpenAPI of Kubernetes), the Prometheus operator's kinds through
 * @kubernetes-models/prometheus-operator, and the CRDs the chart renders (KEDA ScaledObject and the
 * TriggerAuthentication its scaler reads the database URL with, External Secrets ExternalSecret)
 * through ajv with the openAPIV3Schema stored in ./schemas (see its README).
 * A kind the chart is not expected to render has no schema here and is an error: a new kind must be
 * added on purpose, with its schema.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { objectName, type KubeObject } from './render';

/** A kubernetes-models class: constructed from the object, `validate()` throws on a schema error. */
type ModelClass = new (data: KubeObject) => { validate(): void };

const MODELS: Record<string, ModelClass> = {};
function model(apiVersion: string, kind: string, modelClass: unknown): void {
  // The generated classes take their own typed interfaces; the rendered object is checked by validate().
  MODELS[`${apiVersion}/${kind}`] = modelClass as ModelClass;
}
model('v1', 'ConfigMap', ConfigMap);
model('v1', 'Pod', Pod);
model('v1', 'Secret', Secret);
model('v1', 'Service', Service);
model('v1', 'ServiceAccount', ServiceAccount);
model('apps/v1', 'Deployment', Deployment);
model('autoscaling/v2', 'HorizontalPodAutoscaler', HorizontalPodAutoscaler);
model('batch/v1', 'CronJob', CronJob);
model('batch/v1', 'Job', Job);
model('networking.k8s.io/v1', 'Ingress', Ingress);
model('networking.k8s.io/v1', 'NetworkPolicy', NetworkPolicy);
model('policy/v1', 'PodDisruptionBudget', PodDisruptionBudget);
model('rbac.authorization.k8s.io/v1', 'Role', Role);
model('rbac.authorization.k8s.io/v1', 'RoleBinding', RoleBinding);
model('monitoring.coreos.com/v1', 'ServiceMonitor', ServiceMonitor);
model('monitoring.coreos.com/v1', 'PrometheusRule', PrometheusRule);

/** CRD kinds → the file in ./schemas holding the served version's openAPIV3Schema. */
const CRD_SCHEMAS: Record<string, string> = {
  'keda.sh/v1alpha1/ScaledObject': 'scaledobject.keda.sh-v1alpha1.json',
  'keda.sh/v1alpha1/TriggerAuthentication': 'triggerauthentication.keda.sh-v1alpha1.json',
  'external-secrets.io/v1/ExternalSecret': 'externalsecret.external-secrets.io-v1.json',
};

type JsonSchema = { [keyword: string]: unknown };

/**
 * The API server prunes fields a structural schema does not declare, and rejects them under strict
 * field validation (`kubectl apply --validate=strict`, server-side apply); either way a template's typo
 * would be lost. So an object schema that lists its properties gets `additionalProperties: false`
 * unless it preserves unknown fields. `metadata` is left open (its schema is the API server's).
 */
export function closeObjects(schema: JsonSchema): JsonSchema {
  const closed: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'properties' && value && typeof value === 'object') {
      closed.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, sub]) => [
          name,
          name === 'metadata' ? sub : closeObjects(sub),
        ]),
      );
    } else if (
      (keyword === 'items' || keyword === 'additionalProperties') &&
      value &&
      typeof value === 'object'
    ) {
      closed[keyword] = closeObjects(value as JsonSchema);
    } else if ((keyword === 'anyOf' || keyword === 'oneOf' || keyword === 'allOf') && Array.isArray(value)) {
      closed[keyword] = (value as JsonSchema[]).map(closeObjects);
    } else {
      closed[keyword] = value;
    }
  }
  const declaresProperties = closed.properties !== undefined;
  if (
    declaresProperties &&
    closed.additionalProperties === undefined &&
    !closed['x-kubernetes-preserve-unknown-fields']
  ) {
    closed.additionalProperties = false;
  }
  return closed;
}

let ajv: Ajv | undefined;
const crdValidators = new Map<string, ValidateFunction>();

function crdValidator(key: string, file: string): ValidateFunction {
  let validator = crdValidators.get(key);
  if (!validator) {
    // strict: false — the CRD schemas carry Kubernetes' own keywords (x-kubernetes-*), which ajv ignores.
    ajv ??= addFormats(new Ajv({ allErrors: true, strict: false }));
    const schema = JSON.parse(readFileSync(join(__dirname, 'schemas', file), 'utf8')) as JsonSchema;
    validator = ajv.compile(closeObjects(schema));
    crdValidators.set(key, validator);
  }
  return validator;
}

/** The schema errors of one rendered object (empty when it is valid). */
export function schemaErrors(object: KubeObject): string[] {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const modelClass = MODELS[key];
  if (modelClass) {
    try {
      new modelClass(object).validate();
      return [];
    } catch (error) {
      return [error instanceof Error ? error.message : String(error)];
    }
  }
  const crdFile = CRD_SCHEMAS[key];
  if (crdFile) {
    const validate = crdValidator(key, crdFile);
    if (validate(object)) return [];
    return (validate.errors ?? []).map(
      (error) =>
        `${error.instancePath || '/'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`,
    );
  }
  return [`no schema for ${key}: add its model or CRD schema to charts/atc/tests/kube-schemas.ts`];
}

/**
 * The fields of built-in objects Kubernetes does not know (paths like
 * `.spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem`), one list per object, by
 * one run of unknown-fields.mjs for the whole batch (it loads @kubernetes/client-node, ESM, in its own
 * process).
 */
export function unknownFields(objects: KubeObject[]): string[][] {
  const output = execFileSync(process.execPath, [join(__dirname, 'unknown-fields.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const results = JSON.parse(output) as string[][];
  if (results.length !== objects.length)
    throw new Error('unknown-fields.mjs answered for another number of objects');
  return results;
}

/**
 * Every schema error and unknown field, as `Kind/name: message` lines, for each of several sets of
 * objects (one process run for all of them).
 */
export function validationErrors(sets: KubeObject[][]): string[][] {
  const unknown = unknownFields(sets.flat());
  let offset = 0;
  return sets.map((objects) => {
    const errors = objects.flatMap((object, index) => [
      ...schemaErrors(object).map((error) => `${objectName(object)}: ${error}`),
      ...(unknown[offset + index] ?? []).map((path) => `${objectName(object)}: unknown field ${path}`),
    ]);
    offset += objects.length;
    return errors;
  });
}
