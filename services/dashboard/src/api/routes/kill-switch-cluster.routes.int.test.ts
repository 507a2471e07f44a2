import { kubeWorkloadsAccess } from '@atc/platform';
import {
  captureLogger,
  createTestDatabase,
  startFakeKubeApi,
  type FakeKubeApi,
  type TestDatabase,
} from '@atc/platform/testing';
import { readHalts } from '@atc/trading';
import { RELEASE_SELECTOR, replicasOf, seedRelease, WORKER_REPLICAS } from '@atc/trading/testing';
import { bearer, type RunningApi, startApi } from '../testing/test-api';
import { apiRoutes } from './index';

// POST /api/kill-switch/engage with `scaleDown` and /release with `restore`, over HTTP, against the
// fake kube-apiserver. The Kubernetes logic is tested in @atc/trading; this checks the wiring.
describe('the kill switch routes with scaleDown / restore', () => {
  let db: TestDatabase;
  let kube: FakeKubeApi;
  let api: RunningApi;

  beforeAll(async () => {
    db = await createTestDatabase();
    kube = await startFakeKubeApi({ namespace: 'trading' });
    const killSwitchCluster = kubeWorkloadsAccess({
      K8S_KILL_SWITCH_SELECTOR: RELEASE_SELECTOR,
      K8S_REQUEST_TIMEOUT_MS: 5_000,
      KUBECONFIG: kube.writeKubeconfig(),
    });
    api = await startApi({
      routes: apiRoutes,
      pool: db.pool,
      logger: captureLogger().logger,
      services: { killSwitchCluster },
    });
  });
  afterAll(async () => {
    await api.close();
    await kube.close();
    await db.drop();
  });

  const post = async (path: string, role: 'operator' | 'admin', body: unknown) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...bearer(role), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('engages and scales down, then releases and restores, as the principal', async () => {
    seedRelease(kube);
    const engaged = await post('/api/kill-switch/engage', 'operator', {
      reason: 'api drill',
      scaleDown: true,
    });
    expect(engaged).toMatchObject({
      status: 200,
      body: {
        engaged: true,
        by: 'test-operator',
        cluster: { action: 'scale_down', ok: true, namespace: 'trading' },
      },
    });
    expect(Object.values(replicasOf(kube)).filter((replicas) => replicas === 0)).toHaveLength(4);
    const { rows } = await db.pool.query<{ actor: string }>(
      `select distinct actor from atc.audit_log where action = 'kill_switch.scale_down'`,
    );
    expect(rows).toEqual([{ actor: 'test-operator' }]);

    const released = await post('/api/kill-switch/release', 'admin', { reason: 'drill over', restore: true });
    expect(released).toMatchObject({
      status: 200,
      body: { engaged: false, cluster: { action: 'restore', ok: true } },
    });
    expect(replicasOf(kube)).toMatchObject(WORKER_REPLICAS);
  });

  it('keeps the halt and says so when the cluster refuses; refuses scaleDown with a market', async () => {
    seedRelease(kube);
    kube.faults.push({ verb: 'patch', resource: 'cronjobs', reply: 500 });
    const engaged = await post('/api/kill-switch/engage', 'operator', {
      reason: 'api drill 2',
      scaleDown: true,
    });
    expect(engaged).toMatchObject({ status: 200, body: { engaged: true, cluster: { ok: false } } });
    expect((await readHalts(db.pool)).global?.reason).toBe('api drill 2');

    const refused = await post('/api/kill-switch/engage', 'operator', {
      reason: 'r',
      market: 'crypto',
      scaleDown: true,
    });
    expect(refused.status).toBe(400);
  });
});
