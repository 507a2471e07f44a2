// The backup CronJob (docs/operations/backups.md): off by default; when on, `atc backup` into a claim
// or, with an upload, an init container's dump and the operator's upload container; its own egress
// through the default-deny policy; every misconfiguration stops rendering with a clear message.
import { validationErrors } from './kube-schemas';
import { FULLNAME, render, renderFailure, type KubeObject } from './render';
import { at, named, ofKind, podTemplate } from './workloads';

const IMAGE = `registry.example.com/atc-backup@sha256:${'a'.repeat(64)}`;
const CLAIM = {
  'backup.enabled': true,
  'backup.image': IMAGE,
  'backup.persistence.existingClaim': 'atc-backups',
};
const UPLOAD = {
  'backup.enabled': true,
  'backup.image': IMAGE,
  'backup.upload.enabled': true,
  'backup.upload.image': 'amazon/aws-cli:2.22.0',
  'backup.upload.command[0]': 'aws',
  'backup.upload.args[0]': 's3',
  'backup.upload.args[1]': 'sync',
  'backup.upload.args[2]': '/backups',
  'backup.upload.args[3]': 's3://atc-backups/prod',
  'backup.upload.existingSecret': 'atc-backup-s3',
  'backup.upload.egressCidrs[0]': '52.216.0.0/15',
};

const backupObjects = (objects: KubeObject[]) =>
  objects.filter(
    (o) =>
      o.metadata.labels?.['app.kubernetes.io/component'] === 'backup' ||
      o.metadata.name === `${FULLNAME}-backup`,
  );

function cronJob(objects: KubeObject[]) {
  const job = named(objects, 'CronJob', `${FULLNAME}-backup`);
  const spec = job && podTemplate(job)?.spec;
  if (!job || !spec) throw new Error('no backup CronJob rendered');
  return { job, spec };
}

describe('the backup CronJob', () => {
  it('is not rendered by default', () => {
    expect(backupObjects(render())).toEqual([]);
  });

  it('runs `atc backup --out /backups/ --keep N` into the claim, as a schema-valid CronJob', () => {
    const objects = render({ set: CLAIM });
    const { job, spec } = cronJob(objects);
    const backups = backupObjects(objects);
    expect(backups.map((o) => o.kind).sort()).toEqual(['CronJob', 'NetworkPolicy', 'ServiceAccount']);
    expect(validationErrors([backups])).toEqual([[]]);
    expect(at(job, 'spec', 'schedule')).toBe('30 2 * * *');
    expect(at(job, 'spec', 'concurrencyPolicy')).toBe('Forbid');
    const [container] = spec.containers;
    expect(container).toMatchObject({
      name: 'backup',
      image: IMAGE,
      args: ['backup', '--out', '/backups/', '--keep', '7'],
      env: [{ name: 'PG_DUMP_PATH', value: 'pg_dump' }],
      securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
    });
    expect(container!.command).toBeUndefined();
    expect(container!.envFrom).toEqual(
      expect.arrayContaining([{ secretRef: { name: `${FULLNAME}-database`, optional: false } }]),
    );
    expect(container!.volumeMounts).toEqual(
      expect.arrayContaining([{ name: 'backups', mountPath: '/backups' }]),
    );
    expect(spec.volumes).toEqual(
      expect.arrayContaining([{ name: 'backups', persistentVolumeClaim: { claimName: 'atc-backups' } }]),
    );
    expect(spec.initContainers).toBeUndefined();
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  it('with an upload: the dump as an init container, then the upload on the same volume, with its egress', () => {
    const objects = render({ set: UPLOAD });
    const backups = backupObjects(objects);
    expect(validationErrors([backups])).toEqual([[]]);
    const { spec } = cronJob(objects);
    expect(spec.initContainers?.map((c) => [c.name, c.args])).toEqual([
      ['backup', ['backup', '--out', '/backups/', '--keep', '7']],
    ]);
    expect(spec.containers.map((c) => [c.name, c.image, c.command, c.args])).toEqual([
      ['upload', 'amazon/aws-cli:2.22.0', ['aws'], ['s3', 'sync', '/backups', 's3://atc-backups/prod']],
    ]);
    expect(spec.containers[0]!.envFrom).toEqual([{ secretRef: { name: 'atc-backup-s3' } }]);
    expect(spec.volumes).toEqual(
      expect.arrayContaining([{ name: 'backups', emptyDir: { sizeLimit: '4Gi' } }]),
    );
    const [policy] = ofKind(backups, 'NetworkPolicy');
    const egress = at(policy, 'spec', 'egress') as { ports: { port: number }[]; to?: unknown[] }[];
    expect(egress.map((rule) => rule.ports[0]!.port)).toEqual([5432, 443]);
    expect(egress[1]!.to).toEqual([{ ipBlock: { cidr: '52.216.0.0/15' } }]);
  });

  it.each([
    [
      { 'backup.enabled': true, 'backup.persistence.existingClaim': 'c' },
      /backup\.image: required when backup\.enabled/,
    ],
    [
      { 'backup.enabled': true, 'backup.image': IMAGE },
      /existingClaim or backup\.upload\.enabled: a dump written only to an emptyDir/,
    ],
    [
      { ...CLAIM, 'backup.upload.enabled': true },
      /backup\.upload\.image and backup\.upload\.command: required/,
    ],
    [{ ...CLAIM, 'backup.keep': 0 }, /keep/],
    [{ ...CLAIM, 'backup.retention': 3 }, /additional properties 'retention' not allowed|retention/],
  ])('refuses to render %j', (set, message) => {
    expect(renderFailure({ set })).toMatch(message);
  });
});
