// Configuration and secrets: the checksum annotations that roll the pods, secret values that never
// reach a manifest unless asked, existing and external Secrets, and environment the chart owns.
import { FULLNAME, render, renderFailure, type KubeObject, type RenderOptions } from './render';
import { at, named, ofKind, podTemplate } from './workloads';

/** Each Deployment's `checksum/*` pod annotations. */
function checksums(options: RenderOptions): Record<string, Record<string, string>> {
  return Object.fromEntries(
    ofKind(render(options), 'Deployment').map((deployment) => [
      deployment.metadata.name,
      Object.fromEntries(
        Object.entries(podTemplate(deployment)?.metadata?.annotations ?? {}).filter(([key]) =>
          key.startsWith('checksum/'),
        ),
      ),
    ]),
  );
}

function changed(
  before: Record<string, Record<string, string>>,
  after: Record<string, Record<string, string>>,
) {
  return Object.keys(before)
    .flatMap((name) =>
      Object.keys(before[name] ?? {})
        .filter((key) => before[name]?.[key] !== after[name]?.[key])
        .map((key) => `${name} ${key}`),
    )
    .sort();
}

const hasData = (secret: KubeObject) => secret.data !== undefined || secret.stringData !== undefined;
const DEPLOYMENTS = [
  'dashboard',
  'simulator',
  'worker-crypto',
  'worker-futures',
  'worker-options',
  'worker-roundtable',
];

describe('checksum annotations', () => {
  const base = { valuesFiles: ['ci/secrets-create-values.yaml'] };

  it('every Deployment’s pods carry the config and secrets checksums', () => {
    for (const annotations of Object.values(checksums(base))) {
      expect(Object.keys(annotations).sort()).toEqual(['checksum/config', 'checksum/secrets']);
    }
  });

  it('a config value changes every Deployment’s config checksum, and only that', () => {
    const after = checksums({ ...base, set: { 'config.logLevel': 'debug' } });
    expect(changed(checksums(base), after)).toEqual(
      DEPLOYMENTS.map((d) => `${FULLNAME}-${d} checksum/config`).sort(),
    );
  });

  it('a secret value changes every Deployment’s secrets checksum, and only that', () => {
    const after = checksums({
      ...base,
      set: { 'secrets.database.values.DATABASE_URL': 'postgres://other/atc' },
    });
    expect(changed(checksums(base), after)).toEqual(
      DEPLOYMENTS.map((d) => `${FULLNAME}-${d} checksum/secrets`).sort(),
    );
  });

  it('a value outside config and secrets changes no checksum', () => {
    expect(changed(checksums(base), checksums({ ...base, set: { 'dashboard.replicas': 3 } }))).toEqual([]);
  });
});

describe('secrets', () => {
  const CANARY = 'postgres://canary:never-rendered@db/atc';

  it('the default values render no Secret with data', () => {
    expect(ofKind(render(), 'Secret').filter(hasData)).toEqual([]);
  });

  it('a secret value in plain values is never rendered unless secrets.create=true', () => {
    const objects = render({ set: { 'secrets.database.values.DATABASE_URL': CANARY } });
    expect(JSON.stringify(objects)).not.toContain('canary');
    expect(ofKind(objects, 'Secret').filter(hasData)).toEqual([]);
  });

  it('secrets.create=true renders the given values into the Secret the pods read', () => {
    const objects = render({
      set: { 'secrets.create': true, 'secrets.database.values.DATABASE_URL': CANARY },
    });
    const secret = named(objects, 'Secret', `${FULLNAME}-database`);
    const data = (secret?.stringData ?? {}) as Record<string, string>;
    const encoded = (secret?.data ?? {}) as Record<string, string>;
    expect(data.DATABASE_URL ?? Buffer.from(encoded.DATABASE_URL ?? '', 'base64').toString()).toBe(CANARY);
    const dashboard = podTemplate(named(objects, 'Deployment', `${FULLNAME}-dashboard`)!)!;
    const secretRefs = dashboard.spec.containers[0]?.envFrom?.map((source) => source.secretRef?.name);
    expect(secretRefs).toContain(`${FULLNAME}-database`);
  });

  it('an existingSecret is what the pods read, and the chart renders no Secret for it', () => {
    const objects = render({ set: { 'secrets.database.existingSecret': 'platform-db' } });
    for (const kind of ['Deployment', 'Job', 'CronJob']) {
      // The simulator holds no database connection.
      for (const object of ofKind(objects, kind).filter((o) => o.metadata.name !== `${FULLNAME}-simulator`)) {
        const refs = podTemplate(object)!.spec.containers[0]?.envFrom?.map(
          (source) => source.secretRef?.name,
        );
        expect(refs).toContain('platform-db');
        expect(refs).not.toContain(`${FULLNAME}-database`);
      }
    }
    expect(ofKind(objects, 'Secret')).toEqual([]);
  });

  it('an ExternalSecret per listed group fills the Secret the pods read, from the named store', () => {
    const objects = render({ valuesFiles: ['ci/gitops-no-hooks-values.yaml'] });
    const externalSecrets = ofKind(objects, 'ExternalSecret');
    expect(externalSecrets.map((e) => at(e, 'spec', 'target', 'name')).sort()).toEqual(
      ['database', 'heartbeat', 'jwt'].map((group) => `${FULLNAME}-${group}`),
    );
    for (const externalSecret of externalSecrets) {
      expect(at(externalSecret, 'spec', 'secretStoreRef')).toEqual({
        name: 'platform-secrets',
        kind: 'ClusterSecretStore',
      });
    }
    const heartbeatSecret = externalSecrets.find(
      (e) => at(e, 'spec', 'target', 'name') === `${FULLNAME}-heartbeat`,
    );
    expect(at(heartbeatSecret, 'spec', 'data')).toContainEqual({
      secretKey: 'HEARTBEAT_TOKEN',
      remoteRef: { key: 'atc/prod/heartbeat', property: 'token' },
    });
  });
});

describe('environment the chart derives from values', () => {
  it.each([
    [
      'dashboard.env.SHUTDOWN_TIMEOUT_MS',
      /env\.SHUTDOWN_TIMEOUT_MS: set by the chart.*shutdown\.timeoutSeconds/,
    ],
    ['workers.crypto.env.ADMIN_PORT', /env\.ADMIN_PORT: set by the chart.*config\.adminPort/],
  ])(
    '%s (the grace period and probes follow the chart’s value) fails, naming the value to set',
    (key, message) => {
      expect(renderFailure({ setString: { [key]: '60000' } })).toMatch(message);
    },
  );

  it.each(['LOG_LEVEL', 'SHUTDOWN_TIMEOUT_MS'])(
    'config.extraEnv.%s (a key the chart sets) fails with its value to use',
    (name) => {
      expect(renderFailure({ setString: { [`config.extraEnv.${name}`]: '1' } })).toMatch(
        new RegExp(`config\\.extraEnv\\.${name}: the chart sets ${name} itself`),
      );
    },
  );
});
