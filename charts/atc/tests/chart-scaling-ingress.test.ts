// Scaling (HPA on CPU, KEDA on queue depth), the dashboard's Ingress with TLS, and the helm test Pod
// reaching every role through its Service.
import { FULLNAME, render, renderFailure, type KubeObject } from './render';
import { at, named, ofKind } from './workloads';

const target = (object: KubeObject) => at(object, 'spec', 'scaleTargetRef', 'name') as string;

describe('ci/autoscaling-values.yaml', () => {
  const objects = () => render({ valuesFiles: ['ci/autoscaling-values.yaml'] });

  it('an HPA on CPU owns the replica count of each worker it scales', () => {
    const hpas = ofKind(objects(), 'HorizontalPodAutoscaler');
    expect(hpas.map(target).sort()).toEqual([`${FULLNAME}-worker-crypto`, `${FULLNAME}-worker-options`]);
    for (const hpa of hpas) {
      const metrics = at(hpa, 'spec', 'metrics') as { resource?: { name: string } }[];
      expect(metrics.map((metric) => metric.resource?.name)).toEqual(['cpu']);
      expect(at(named(objects(), 'Deployment', target(hpa)), 'spec', 'replicas')).toBeUndefined();
    }
  });

  it('a KEDA ScaledObject scales each queue-driven worker, authenticated by a TriggerAuthentication', () => {
    const scaledObjects = ofKind(objects(), 'ScaledObject');
    expect(scaledObjects.map(target).sort()).toEqual([
      `${FULLNAME}-worker-futures`,
      `${FULLNAME}-worker-roundtable`,
    ]);
    for (const scaledObject of scaledObjects) {
      expect(named(objects(), 'Deployment', target(scaledObject))).toBeDefined();
      expect(at(named(objects(), 'Deployment', target(scaledObject)), 'spec', 'replicas')).toBeUndefined();
      const triggers = at(scaledObject, 'spec', 'triggers') as { authenticationRef?: { name: string } }[];
      for (const trigger of triggers) {
        expect(
          named(objects(), 'TriggerAuthentication', trigger.authenticationRef?.name ?? ''),
        ).toBeDefined();
      }
    }
  });

  it('HPA and KEDA on the same worker fail with a message naming it', () => {
    const message = renderFailure({
      set: { 'workers.crypto.hpa.enabled': true, 'workers.crypto.keda.enabled': true },
    });
    expect(message).toContain('workers.crypto: hpa.enabled and keda.enabled are exclusive');
  });
});

describe('the dashboard Ingress', () => {
  function ingressOf(file: string): KubeObject {
    const ingress = named(render({ valuesFiles: [file] }), 'Ingress', `${FULLNAME}-dashboard`);
    if (!ingress) throw new Error(`${file} renders no dashboard Ingress`);
    return ingress;
  }

  it('is off by default', () => {
    expect(ofKind(render(), 'Ingress')).toEqual([]);
  });

  it('serves the host over TLS from an existing Secret, to the dashboard Service', () => {
    const ingress = ingressOf('ci/ingress-tls-values.yaml');
    expect(at(ingress, 'spec', 'ingressClassName')).toBe('nginx');
    expect(at(ingress, 'spec', 'tls')).toEqual([
      { hosts: ['ops.example.com'], secretName: 'ops-example-com-tls' },
    ]);
    const rules = at(ingress, 'spec', 'rules') as { host: string; http: { paths: { backend: unknown }[] } }[];
    expect(rules.map((rule) => rule.host)).toEqual(['ops.example.com']);
    const service = at(rules[0]?.http.paths[0]?.backend, 'service') as {
      name: string;
      port: { number?: number };
    };
    expect(service.name).toBe(`${FULLNAME}-dashboard`);
    const servicePorts = at(named(render(), 'Service', service.name), 'spec', 'ports') as { port: number }[];
    expect(servicePorts.map((port) => port.port)).toContain(service.port.number ?? 80);
  });

  it('asks cert-manager for the certificate when a ClusterIssuer is named', () => {
    const ingress = ingressOf('ci/ingress-cert-manager-values.yaml');
    expect(ingress.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(at(ingress, 'spec', 'tls')).toEqual([
      { hosts: ['ops.example.com'], secretName: `${FULLNAME}-dashboard-tls` },
    ]);
  });
});

describe('the helm test Pod', () => {
  /** Every URL the test Pod's containers check. */
  function urls(objects: KubeObject[]): string[] {
    const pod = ofKind(objects, 'Pod').find(
      (object) => object.metadata.annotations?.['helm.sh/hook'] === 'test',
    );
    const containers = (at(pod, 'spec', 'containers') ?? []) as { command?: string[]; args?: string[] }[];
    return containers.flatMap((container) =>
      [...(container.command ?? []), ...(container.args ?? [])].filter((part) => part.startsWith('http')),
    );
  }

  it.each([
    ['default values', {}],
    ['the autoscaling scenario', { valuesFiles: ['ci/autoscaling-values.yaml'] }],
  ])(
    'with %s checks every Deployment’s readiness through its Service, and one API call',
    (_name, options) => {
      const objects = render(options);
      const checked = urls(objects);
      for (const deployment of ofKind(objects, 'Deployment')) {
        const name = deployment.metadata.name;
        expect(checked).toContain(`http://${name}:9090/health/ready`);
        const ports = at(named(objects, 'Service', name), 'spec', 'ports') as { port: number }[] | undefined;
        expect(ports?.map((port) => port.port)).toContain(9090);
      }
      expect(checked.filter((url) => url.startsWith(`http://${FULLNAME}-dashboard:80/api/`))).toHaveLength(1);
    },
  );

  it('is left out with tests.enabled=false', () => {
    expect(urls(render({ set: { 'tests.enabled': false } }))).toEqual([]);
  });
});
