// The schema check itself: built-in kinds, CRDs from the stored schemas, unknown kinds.
import { closeObjects, schemaErrors, unknownFields, validationErrors } from './kube-schemas';
import type { KubeObject } from './render';

const scaledObject = (): KubeObject => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'atc-worker-crypto' },
  spec: {
    scaleTargetRef: { name: 'atc-worker-crypto' },
    minReplicaCount: 1,
    maxReplicaCount: 4,
    triggers: [{ type: 'postgresql', metadata: { query: 'select 1', targetQueryValue: '5' } }],
  },
});

const externalSecret = (): KubeObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'atc-database' },
  spec: {
    refreshInterval: '1h',
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws' },
    target: { name: 'atc-database', creationPolicy: 'Owner' },
    data: [{ secretKey: 'DATABASE_URL', remoteRef: { key: 'atc/database', property: 'url' } }],
  },
});

describe('schemaErrors', () => {
  it('accepts a valid built-in object and names the field of an invalid one', () => {
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'atc-dashboard' },
      spec: { ports: [{ port: 80, targetPort: 'http' }] },
    };
    expect(schemaErrors(service)).toEqual([]);
    const broken = structuredClone(service);
    (broken.spec as { ports: { port: unknown }[] }).ports[0]!.port = '80';
    expect(schemaErrors(broken).join()).toMatch(/port must be integer/);
  });

  it('validates the KEDA ScaledObject and External Secrets ExternalSecret against their CRD schemas', () => {
    expect(schemaErrors(scaledObject())).toEqual([]);
    expect(schemaErrors(externalSecret())).toEqual([]);
  });

  it('rejects a CRD object with a wrong type, a missing required field or an unknown field', () => {
    const wrongType = scaledObject();
    (wrongType.spec as Record<string, unknown>).minReplicaCount = 'one';
    expect(schemaErrors(wrongType).join()).toMatch(/minReplicaCount must be integer/);

    const missing = scaledObject();
    delete (missing.spec as { scaleTargetRef?: unknown }).scaleTargetRef;
    expect(schemaErrors(missing).join()).toMatch(/must have required property 'scaleTargetRef'/);

    const unknown = externalSecret();
    (unknown.spec as Record<string, unknown>).refreshIntervall = '1h';
    expect(schemaErrors(unknown).join()).toMatch(/must NOT have additional properties.*refreshIntervall/);
  });

  it('fails a kind it has no schema for', () => {
    const object: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' } };
    expect(schemaErrors(object)).toEqual([expect.stringContaining('no schema for apps/v1/StatefulSet')]);
  });
});

describe('closeObjects', () => {
  it('closes declared objects but leaves preserved and metadata schemas open', () => {
    const closed = closeObjects({
      type: 'object',
      properties: {
        metadata: { type: 'object', properties: { name: { type: 'string' } } },
        spec: { type: 'object', properties: { a: { type: 'string' } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: {} },
        list: { type: 'array', items: { type: 'object', properties: { b: { type: 'integer' } } } },
      },
    });
    expect(closed.additionalProperties).toBe(false);
    const properties = closed.properties as Record<string, Record<string, unknown>>;
    expect(properties.metadata!.additionalProperties).toBeUndefined();
    expect(properties.spec!.additionalProperties).toBe(false);
    expect(properties.free!.additionalProperties).toBeUndefined();
    expect((properties.list!.items as Record<string, unknown>).additionalProperties).toBe(false);
  });
});

describe('unknownFields', () => {
  it('names fields Kubernetes does not know in built-in objects, through arrays and maps', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', labels: { any: 'label' } },
      spec: {
        replica: 2,
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: {
            containers: [
              {
                name: 'c',
                image: 'i',
                securityContext: { readOnlyRootFilesytem: true },
                resources: { limits: { memory: '1Gi' } },
              },
            ],
          },
        },
      },
    };
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'y' },
      spec: { ports: [{ port: 80 }] },
    };
    expect(unknownFields([deployment, service, scaledObject()])).toEqual([
      ['.spec.replica', '.spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem'],
      [],
      [],
    ]);
  });

  it('reports schema errors and unknown fields per set, by object', () => {
    const hpa: KubeObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'w' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, maxReplicas: 3, minReplica: 1 },
    };
    expect(validationErrors([[scaledObject()], [hpa]])).toEqual([
      [],
      ['HorizontalPodAutoscaler/w: unknown field .spec.minReplica'],
    ]);
  });
});
