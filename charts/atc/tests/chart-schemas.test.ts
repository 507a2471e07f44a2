// `helm template` of the default values and of every charts/atc/ci/*.yaml scenario, at the oldest
// supported Kubernetes and the newest helm knows: it renders, and every object validates against its
// Kubernetes schema (kubernetes-models, or the stored CRD schemas). A kind without a schema fails.
import { schemaErrors } from './kube-schemas';
import { kubeVersions, objectName, render, scenarios, type RenderOptions } from './render';

const CASES: [string, RenderOptions][] = [
  ['default values', {}],
  ...scenarios().map((file): [string, RenderOptions] => [file, { valuesFiles: [file] }]),
];

describe.each(kubeVersions())('on Kubernetes %s', (kubeVersion) => {
  it.each(CASES)('%s renders objects that all validate', (_name, options) => {
    const objects = render({ ...options, kubeVersion });
    expect(objects.length).toBeGreaterThan(0);
    const errors = objects.flatMap((object) =>
      schemaErrors(object).map((error) => `${objectName(object)}: ${error}`),
    );
    expect(errors).toEqual([]);
  });
});

it('every rendered object carries the standard labels', () => {
  const missing: string[] = [];
  for (const [, options] of CASES) {
    for (const object of render(options)) {
      for (const label of [
        'app.kubernetes.io/name',
        'app.kubernetes.io/instance',
        'app.kubernetes.io/version',
        'app.kubernetes.io/part-of',
        'app.kubernetes.io/managed-by',
        'helm.sh/chart',
      ]) {
        if (!object.metadata.labels?.[label]) missing.push(`${objectName(object)}: ${label}`);
      }
    }
  }
  expect(missing).toEqual([]);
});
