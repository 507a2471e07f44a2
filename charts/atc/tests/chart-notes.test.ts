/**
 * NOTES.txt, what `helm install` prints to the person installing: how to reach the dashboard, how to
 * check health, how to get an API key. Rendered by `helm install --dry-run=client` (helm template
 * leaves NOTES out), which needs no cluster.
 * @module
 */
import { join } from 'node:path';
import { CHART_DIR, FULLNAME, NAMESPACE, RELEASE, runHelm } from './render';

function notes(valuesFiles: string[] = []): string {
  const args = ['install', RELEASE, CHART_DIR, '--dry-run=client', '--namespace', NAMESPACE];
  for (const file of valuesFiles) args.push('--values', join(CHART_DIR, file));
  const result = runHelm(args);
  if (result.status !== 0) throw new Error(`helm install --dry-run failed: ${result.stderr}`);
  const start = result.stdout.indexOf('NOTES:');
  if (start < 0) throw new Error('helm printed no NOTES');
  return result.stdout.slice(start);
}

describe('NOTES.txt', () => {
  it("says how to reach the dashboard, check every role's health and get an API key", () => {
    const text = notes();
    expect(text).toContain(`kubectl --namespace ${NAMESPACE} port-forward svc/${FULLNAME}-dashboard 8080:80`);
    expect(text).toContain(`helm test ${RELEASE} --namespace ${NAMESPACE}`);
    expect(text).toContain('/health/ready');
    expect(text).toContain(`exec deploy/${FULLNAME}-dashboard -- node /app/atc.cjs apikey create`);
    expect(text).toMatch(/Trading mode: paper/);
  });

  it('in live mode names no simulator and no paper wallet', () => {
    const text = notes(['ci/live-existing-secrets-values.yaml']);
    expect(text).toMatch(/Trading mode: live/);
    expect(text).not.toMatch(/simulator|paper wallet/);
  });
});
