import path from 'node:path';
import {
  bundleForTest,
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runNode,
  startFakeKubeApi,
  type FakeKubeApi,
  type TestDatabase,
} from '@atc/platform/testing';
import { RELEASE, RELEASE_SELECTOR, replicasOf, seedRelease, WORKER_REPLICAS } from '@atc/trading/testing';

// `atc kill-switch on --scale-down` / `off --restore` as an operator runs them outside the cluster:
// the bundled binary (as in the image: CommonJS, @kubernetes/client-node imported from node_modules
// at run time), KUBECONFIG pointing at the fake kube-apiserver. The Kubernetes logic itself is tested
// in @atc/trading (kill-switch-cluster.int.test.ts); this checks the wiring, output and exit codes.

describe('atc kill-switch --scale-down | --restore', () => {
  let db: TestDatabase;
  let api: FakeKubeApi;
  let kubeconfig: string;
  let bundle: string;
  beforeAll(async () => {
    bundle = await bundleForTest(path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts'), REPOSITORY_ROOT);
    db = await createTestDatabase();
    api = await startFakeKubeApi({ namespace: 'trading' });
    kubeconfig = api.writeKubeconfig();
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  async function atc(...args: string[]) {
    const env = childEnvironment({
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      KUBECONFIG: kubeconfig,
      KUBERNETES_SERVICE_HOST: undefined,
      K8S_NAMESPACE: undefined,
      K8S_KILL_SWITCH_SELECTOR: RELEASE_SELECTOR,
      K8S_REQUEST_TIMEOUT_MS: '5000',
    });
    const run = runNode([bundle, ...args], env);
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  }
  const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

  it('halts, scales down through KUBECONFIG, and restores; a refusal exits 1 with the halt kept', async () => {
    seedRelease(api);
    const on = await atc('kill-switch', 'on', '--reason', 'drill', '--scale-down', '--by', 'ops', '--json');
    expect(on).toMatchObject({ code: 0, stderr: '' });
    expect(json(on.stdout)).toMatchObject({
      global: { reason: 'drill', by: 'ops' },
      cluster: { action: 'scale_down', namespace: 'trading', ok: true },
    });
    expect(replicasOf(api)).toMatchObject({ [`${RELEASE}-worker-futures`]: 0, [`${RELEASE}-dashboard`]: 2 });

    const off = await atc('kill-switch', 'off', '--restore');
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/restored/);
    expect(replicasOf(api)).toMatchObject(WORKER_REPLICAS);

    api.faults.push({ verb: 'list', resource: 'deployments', reply: 403 });
    const refused = await atc('kill-switch', 'on', '--reason', 'drill 2', '--scale-down');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/IS engaged in the database/);
    expect(refused.stderr).toMatch(/deployment \*: list deployments in trading: HTTP 403/);
    expect(json((await atc('kill-switch', 'status', '--json')).stdout)).toMatchObject({
      global: { reason: 'drill 2' },
    });
  });

  it('refuses --scale-down with --market before touching anything (exit 2)', async () => {
    const refused = await atc('kill-switch', 'on', '--reason', 'r', '--market', 'crypto', '--scale-down');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--scale-down acts on every worker of the release/);
  });
});
