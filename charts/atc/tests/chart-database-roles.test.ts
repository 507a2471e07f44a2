// The database URLs (docs/operations/database-roles.md): the migrate Job connects as the schema owner
// (secrets.migrator), every role as the app role (secrets.database), the dashboard's exporter as the
// read-only role when secrets.readonly is given; without a migrator Secret the Job uses the roles' URL.
import { FULLNAME, render, type KubeObject } from './render';
import { named, workloads } from './workloads';

/** The Secrets a workload's containers (init containers too) read with envFrom. */
function secretsRead(objects: KubeObject[], name: string): string[] {
  const workload = workloads(objects).find(({ object }) => object.metadata.name === name);
  if (!workload) throw new Error(`no workload ${name}`);
  const containers = [...(workload.template.spec.initContainers ?? []), ...workload.template.spec.containers];
  return [
    ...new Set(containers.flatMap((c) => (c.envFrom ?? []).flatMap((from) => from.secretRef?.name ?? []))),
  ].sort();
}

const ROLE_WORKLOADS = [
  `${FULLNAME}-dashboard`,
  `${FULLNAME}-worker-crypto`,
  `${FULLNAME}-worker-options`,
  `${FULLNAME}-worker-futures`,
  `${FULLNAME}-worker-roundtable`,
  `${FULLNAME}-heartbeat`,
];

describe('database roles: the migrator URL and the app URL', () => {
  it('by default the migrate Job reads the one database Secret the roles read', () => {
    const objects = render();
    expect(secretsRead(objects, `${FULLNAME}-migrate`)).toEqual([`${FULLNAME}-database`]);
    expect(secretsRead(objects, `${FULLNAME}-dashboard`)).not.toContain(`${FULLNAME}-readonly`);
    for (const name of ROLE_WORKLOADS) {
      expect([name, secretsRead(objects, name).includes(`${FULLNAME}-database`)]).toEqual([name, true]);
    }
  });

  it('with both Secrets, the migrate Job (migrate and seed) reads only the owner’s and no role ever does', () => {
    const objects = render({ valuesFiles: ['ci/database-roles-values.yaml'] });
    expect(secretsRead(objects, `${FULLNAME}-migrate`)).toEqual(['atc-database-owner']);
    // The read-only URL (EXPORTER_DATABASE_URL) reaches the dashboard only.
    for (const name of ROLE_WORKLOADS) {
      const read = secretsRead(objects, name).includes('atc-database-readonly');
      expect([name, read]).toEqual([name, name === `${FULLNAME}-dashboard`]);
    }
    for (const name of ROLE_WORKLOADS) {
      const read = secretsRead(objects, name);
      expect([name, read.includes('atc-database-app'), read.includes('atc-database-owner')]).toEqual([
        name,
        true,
        false,
      ]);
    }
  });

  it('rendered from values with hooks: the hook copy holds the owner’s URL, the roles’ Secret the app’s', () => {
    const objects = render({
      set: {
        'secrets.create': true,
        'secrets.database.values.DATABASE_URL': 'postgres://atc_app@db/atc',
        'secrets.migrator.values.DATABASE_URL': 'postgres://atc_owner@db/atc',
      },
    });
    const hookCopy = named(objects, 'Secret', `${FULLNAME}-migrate-migrator`);
    expect(hookCopy?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect((hookCopy as { stringData?: Record<string, string> }).stringData).toEqual({
      DATABASE_URL: 'postgres://atc_owner@db/atc',
    });
    expect(secretsRead(objects, `${FULLNAME}-migrate`)).toEqual([`${FULLNAME}-migrate-migrator`]);
    const appSecret = named(objects, 'Secret', `${FULLNAME}-database`) as {
      stringData?: Record<string, string>;
    };
    expect(appSecret.stringData).toEqual({ DATABASE_URL: 'postgres://atc_app@db/atc' });
    expect(secretsRead(objects, `${FULLNAME}-worker-crypto`)).not.toContain(`${FULLNAME}-migrator`);
  });

  it('without hooks (GitOps) the plain Job reads the owner’s Secret by its release name', () => {
    const objects = render({
      set: {
        'migrations.useHelmHooks': false,
        'tests.enabled': false,
        'secrets.migrator.existingSecret': 'owner-url',
      },
    });
    expect(secretsRead(objects, `${FULLNAME}-migrate`)).toEqual(['owner-url']);
  });

  it('an ExternalSecret can fill the migrator group', () => {
    const objects = render({
      set: {
        'secrets.externalSecrets.enabled': true,
        'secrets.externalSecrets.secretStoreRef.name': 'vault',
        'secrets.externalSecrets.groups.migrator.remoteKey': 'atc/db-owner',
      },
    });
    expect(named(objects, 'ExternalSecret', `${FULLNAME}-migrator`)).toBeDefined();
    expect(secretsRead(objects, `${FULLNAME}-migrate`)).toEqual([`${FULLNAME}-migrator`]);
  });
});
