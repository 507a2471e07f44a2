import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors';
import { kubeConnectionOf, type KubernetesConfig } from './kube.config';

const base: KubernetesConfig = { K8S_KILL_SWITCH_SELECTOR: 'a=b', K8S_REQUEST_TIMEOUT_MS: 1_000 };

describe('kubeConnectionOf', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'atc-kube-config-'));
  const emptyHome = path.join(scratch, 'home');
  mkdirSync(emptyHome);

  it('uses the ServiceAccount in a pod, and says so when its token is not mounted', () => {
    const serviceAccountDirectory = path.join(scratch, 'sa');
    const inPod = {
      ...base,
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      KUBECONFIG: '/ignored',
      K8S_NAMESPACE: 'ns',
    };
    expect(() => kubeConnectionOf(inPod, { serviceAccountDirectory })).toThrow(
      /no ServiceAccount token .*killSwitch\.scaleDown\.enabled=true/,
    );
    mkdirSync(serviceAccountDirectory);
    writeFileSync(path.join(serviceAccountDirectory, 'token'), 'token');
    expect(kubeConnectionOf(inPod, { serviceAccountDirectory })).toEqual({
      kind: 'in-cluster',
      namespace: 'ns',
    });
  });

  it('reads every KUBECONFIG file outside a pod, else ~/.kube/config, else fails naming KUBECONFIG', () => {
    const files = ['/a/config', '/b/config'];
    expect(
      kubeConnectionOf({ ...base, KUBECONFIG: files.join(path.delimiter) }, { home: emptyHome }),
    ).toEqual({
      kind: 'kubeconfig',
      files,
      namespace: undefined,
    });
    expect(() => kubeConnectionOf(base, { home: emptyHome })).toThrow(ConfigError);
    expect(() => kubeConnectionOf(base, { home: emptyHome })).toThrow(
      /KUBECONFIG: is required outside a pod/,
    );
    mkdirSync(path.join(emptyHome, '.kube'));
    writeFileSync(path.join(emptyHome, '.kube', 'config'), '{}');
    expect(kubeConnectionOf(base, { home: emptyHome })).toMatchObject({
      files: [path.join(emptyHome, '.kube', 'config')],
    });
  });
});
