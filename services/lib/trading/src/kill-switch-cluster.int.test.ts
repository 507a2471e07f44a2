import { kubeWorkloadsAccess, type KubernetesConfig } from '@atc/platform';
import {
  createTestDatabase,
  startFakeKubeApi,
  type FakeKubeApi,
  type TestDatabase,
} from '@atc/platform/testing';
import { REPLICAS_ANNOTATION, SUSPEND_ANNOTATION } from './cluster-workloads';
import { readHalts, releaseKillSwitch } from './kill-switch';
import { engageKillSwitchAndScaleDown, releaseKillSwitchAndRestore } from './kill-switch-cluster';
import {
  HEARTBEAT,
  RELEASE,
  RELEASE_SELECTOR,
  replicasOf,
  seedRelease,
  WORKER_REPLICAS,
} from './testing/cluster-workloads.fixture';

describe('the kill switch in the cluster (a fake kube-apiserver)', () => {
  let db: TestDatabase;
  let api: FakeKubeApi;
  let kubeconfig: string;
  const by = 'operator:ada';

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startFakeKubeApi({ namespace: 'trading' });
    kubeconfig = api.writeKubeconfig();
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });
  let auditFrom = '0';
  beforeEach(async () => {
    seedRelease(api);
    if ((await readHalts(db.pool)).global) await releaseKillSwitch(db.pool, { by });
    const { rows } = await db.pool.query<{ id: string }>(
      `select coalesce(max(id), 0)::text as id from atc.audit_log`,
    );
    auditFrom = rows[0]!.id;
  });

  // A short timeout keeps the `hang` case quick; the real default is 10 s.
  const config = (overrides: Partial<KubernetesConfig> = {}): KubernetesConfig => ({
    K8S_KILL_SWITCH_SELECTOR: RELEASE_SELECTOR,
    K8S_REQUEST_TIMEOUT_MS: 300,
    KUBECONFIG: kubeconfig,
    ...overrides,
  });
  const engage = (overrides?: Partial<KubernetesConfig>) =>
    engageKillSwitchAndScaleDown(db.pool, {
      reason: 'venue outage',
      by,
      cluster: kubeWorkloadsAccess(config(overrides)),
    });
  const release = () =>
    releaseKillSwitchAndRestore(db.pool, {
      reason: 'venue back',
      by,
      cluster: kubeWorkloadsAccess(config()),
    });
  const auditRows = async (action: string) =>
    (
      await db.pool.query<{
        actor: string;
        subject_type: string;
        subject_id: string;
        details: Record<string, unknown>;
      }>(
        `select actor, subject_type, subject_id, details from atc.audit_log where action = $1 and id > $2 order by id`,
        [action, auditFrom],
      )
    ).rows;
  const recordedAnnotation = (name: string) => api.deployments.get(name)!.annotations[REPLICAS_ANNOTATION];

  it('halts in the database, scales the workers to 0 and suspends the heartbeat, then restores the recorded counts', async () => {
    const engaged = await engage();
    expect(engaged.halts.global?.reason).toBe('venue outage');
    expect(engaged.cluster).toMatchObject({ ok: true, namespace: 'trading', selector: RELEASE_SELECTOR });
    for (const [name, replicas] of Object.entries(WORKER_REPLICAS)) {
      expect(api.deployments.get(name)!.replicas).toBe(0);
      expect(recordedAnnotation(name)).toBe(String(replicas));
    }
    expect(api.cronJobs.get(HEARTBEAT)).toMatchObject({
      suspend: true,
      annotations: { [SUSPEND_ANNOTATION]: 'false' },
    });
    // Neither the unlabelled dashboard nor another release's worker.
    expect(replicasOf(api)).toMatchObject({ [`${RELEASE}-dashboard`]: 2, 'other-worker-crypto': 4 });
    const scaled = await auditRows('kill_switch.scale_down');
    expect(scaled.map((row) => [row.subject_type, row.subject_id, row.details.result])).toEqual([
      ...Object.keys(WORKER_REPLICAS).map((name) => ['deployment', `trading/${name}`, 'scaled_down']),
      ['cronjob', `trading/${HEARTBEAT}`, 'suspended'],
    ]);
    expect(new Set(scaled.map((row) => row.actor))).toEqual(new Set([by]));

    const released = await release();
    expect(released.halts.global).toBeNull();
    expect(released.cluster.ok).toBe(true);
    for (const [name, replicas] of Object.entries(WORKER_REPLICAS)) {
      expect(api.deployments.get(name)!.replicas).toBe(replicas);
      expect(api.deployments.get(name)!.annotations).toEqual({});
    }
    expect(api.cronJobs.get(HEARTBEAT)).toMatchObject({ suspend: false, annotations: {} });
    expect((await auditRows('kill_switch.restore')).map((row) => row.details.result)).toEqual(
      Array(5).fill('restored'),
    );
  });

  it('is idempotent: a second scale-down keeps the counts the first recorded, and restore puts those back', async () => {
    await engage();
    const again = await engage();
    expect(again.cluster.ok).toBe(true);
    expect(again.cluster.outcomes.map((outcome) => outcome.result)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    for (const [name, replicas] of Object.entries(WORKER_REPLICAS))
      expect(recordedAnnotation(name)).toBe(String(replicas));
    await release();
    expect(replicasOf(api)).toMatchObject(WORKER_REPLICAS);
  });

  it.each([
    [
      'a 403 on one scale',
      { verb: 'patch', subresource: 'scale', name: `${RELEASE}-worker-options`, reply: 403 as const },
      403,
    ],
    ['a 500 on the list', { verb: 'list', resource: 'deployments', reply: 500 as const }, 500],
    ['a timeout on the CronJob patch', { verb: 'patch', resource: 'cronjobs', reply: 'hang' as const }, null],
  ])('keeps the database halt through %s, and audits the failure', async (_case, fault, status) => {
    api.faults.push(fault);
    const result = await engage();
    expect(result.cluster.ok).toBe(false);
    const failed = result.cluster.outcomes.filter((outcome) => outcome.result === 'failed');
    expect(failed).toEqual([expect.objectContaining({ status, error: expect.any(String) as unknown })]);
    if (status === null) expect(failed[0]!.error).toMatch(/no answer within 300 ms/);
    expect((await readHalts(db.pool)).global?.reason).toBe('venue outage');
    const audited = (await auditRows('kill_switch.scale_down')).filter(
      (row) => row.details.result === 'failed',
    );
    expect(audited.at(-1)).toMatchObject({ actor: by, details: { status, error: failed[0]!.error } });
  });

  it('keeps the database halt when there is no cluster to talk to (in a pod without a token)', async () => {
    const result = await engage({ KUBECONFIG: undefined, KUBERNETES_SERVICE_HOST: '10.0.0.1' });
    expect(result.cluster).toMatchObject({ ok: false, namespace: null });
    expect(result.cluster.outcomes[0]).toMatchObject({ kind: 'cluster', result: 'failed' });
    expect(result.cluster.outcomes[0]!.error).toMatch(/ServiceAccount token/);
    expect((await readHalts(db.pool)).global).not.toBeNull();
  });
});
