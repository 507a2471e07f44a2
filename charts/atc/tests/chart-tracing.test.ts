// Tracing: `tracing.otlpEndpoint` reaches every role as OTEL_EXPORTER_OTLP_ENDPOINT (the shared
// ConfigMap) with a NetworkPolicy to the collector; unset, neither is rendered and no role traces.
import { allowed, type Pod } from './network-policies';
import { FULLNAME, NAMESPACE, render, renderFailure, type KubeObject } from './render';
import { allContainers, envValue, named, workloads } from './workloads';

const ENDPOINT = 'http://otel-collector.monitoring:4318';
const ON = { set: { 'tracing.otlpEndpoint': ENDPOINT } };
const COLLECTOR: Pod = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'otel-collector' } };

/**
 * The endpoint each container of each role sees: the Deployments and the heartbeat CronJob. (The
 * migrations Job and the helm test Pod are one-off commands with inline environment, untraced.)
 */
function endpointsSeen(objects: KubeObject[]): Record<string, string | undefined> {
  const seen: Record<string, string | undefined> = {};
  for (const { object, template } of workloads(objects)) {
    if (object.kind !== 'Deployment' && object.kind !== 'CronJob') continue;
    for (const container of allContainers(template.spec)) {
      seen[`${object.kind}/${object.metadata.name}/${container.name}`] = envValue(
        container,
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        objects,
      );
    }
  }
  return seen;
}

function rolePods(objects: KubeObject[]): Pod[] {
  return workloads(objects)
    .filter(({ object }) => object.kind !== 'Pod')
    .map(({ template }) => ({ namespace: NAMESPACE, labels: template.metadata?.labels ?? {} }));
}

describe('tracing values', () => {
  it('off by default: no role gets an endpoint and no collector policy is rendered', () => {
    const objects = render();
    const seen = endpointsSeen(objects);
    expect(Object.keys(seen).length).toBeGreaterThan(5);
    expect(Object.values(seen).filter((value) => value !== undefined)).toEqual([]);
    expect(named(objects, 'NetworkPolicy', `${FULLNAME}-otlp-collector`)).toBeUndefined();
  });

  it('set: every container of every role and the heartbeat get OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const seen = endpointsSeen(render(ON));
    expect(Object.keys(seen)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Deployment\/atc-dashboard\//),
        expect.stringMatching(/^Deployment\/atc-worker-crypto\//),
        expect.stringMatching(/^CronJob\/atc-heartbeat\//),
      ]),
    );
    expect(new Set(Object.values(seen))).toEqual(new Set([ENDPOINT]));
  });

  it('set: every role may reach the collector’s namespace on its OTLP/HTTP port, and nothing more', () => {
    const objects = render(ON);
    for (const pod of rolePods(objects)) {
      expect(allowed(objects, pod, COLLECTOR, 4318)).toBe(true);
      expect(allowed(objects, pod, COLLECTOR, 4317)).toBe(false);
      expect(allowed(objects, pod, { namespace: 'default', labels: {} }, 4318)).toBe(false);
    }
    const moved = render({ set: { ...ON.set, 'networkPolicy.otlpCollector.namespace': 'observability' } });
    expect(allowed(moved, rolePods(moved)[0]!, { ...COLLECTOR, namespace: 'observability' }, 4318)).toBe(
      true,
    );
  });

  it('refuses an endpoint that is not an http(s) URL, and the same key in config.extraEnv', () => {
    expect(renderFailure({ set: { 'tracing.otlpEndpoint': 'otel-collector:4318' } })).toMatch(/otlpEndpoint/);
    expect(
      renderFailure({
        set: { ...ON.set, 'config.extraEnv.OTEL_EXPORTER_OTLP_ENDPOINT': 'http://other:4318' },
      }),
    ).toMatch(
      /config\.extraEnv\.OTEL_EXPORTER_OTLP_ENDPOINT: the chart sets OTEL_EXPORTER_OTLP_ENDPOINT itself/,
    );
  });
});
