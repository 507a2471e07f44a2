// `helm template` of the default values and of every charts/atc/ci/*.yaml scenario, at the oldest
// supported Kubernetes and the newest helm knows: it renders, and every object validates against its
// Kubernetes schema (kubernetes-models, or the stored CRD schemas) with no field Kubernetes does not
// know. A kind without a schema fails.
import { validationErrors } from './kube-schemas';
import { kubeVersions, objectName, render, scenarios, type RenderOptions } from './render';

const CASES: [string, RenderOptions][] = [
  ['default values', {}],
  ...scenarios().map((file): [string, RenderOptions] => [file, { valuesFiles: [file] }]),
];

const RENDERS = kubeVersions().flatMap((kubeVersion) =>
  CASES.map(([name, options]): [string, string, RenderOptions] => [
    kubeVersion,
    name,
    { ...options, kubeVersion },
  ]),
);

let errorsByRender: Map<string, string[]> | undefined;
/** The validation errors of each render, validated in one batch on first use. */
function errorsOf(kubeVersion: string, name: string): string[] {
  if (!errorsByRender) {
    const errors = validationErrors(RENDERS.map(([, , options]) => render(options)));
    errorsByRender = new Map(
      RENDERS.map(([version, caseName], index) => [`${version} ${caseName}`, errors[index] ?? []]),
    );
  }
  return errorsByRender.get(`${kubeVersion} ${name}`) ?? ['not rendered'];
}

describe.each(kubeVersions())('on Kubernetes %s', (kubeVersion) => {
  it.each(CASES)('%s renders objects that all validate', (name, options) => {
    expect(render({ ...options, kubeVersion }).length).toBeGreaterThan(0);
    expect(errorsOf(kubeVersion, name)).toEqual([]);
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
