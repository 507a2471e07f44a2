// `npm run chart:lint` (scripts/chart-lint.mjs): `helm lint --strict` is clean for the defaults and every
// ci scenario at both Kubernetes versions, and the script fails, naming the run, on a broken chart.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyChart, REPOSITORY_ROOT, scenarios } from './render';

function chartLint(chartDir?: string) {
  const args = [join(REPOSITORY_ROOT, 'scripts', 'chart-lint.mjs'), ...(chartDir ? [chartDir] : [])];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

it('helm lint --strict is clean for the default values and every ci scenario, at Kubernetes 1.27 and the newest', () => {
  const { status, output } = chartLint();
  expect(output).not.toContain('FAIL');
  expect(status).toBe(0);
  // One line per values set and Kubernetes version.
  expect(output.match(/^ok {4}/gm)).toHaveLength(2 * (1 + scenarios().length));
});

it('fails on a chart helm lint --strict warns about, naming each run', () => {
  const chart = copyChart();
  try {
    // A template that renders nothing valid for Kubernetes: lint reports it under --strict.
    writeFileSync(join(chart.dir, 'templates', 'broken.yaml'), 'kind: Deployment\nmetadata: {}\n');
    const { status, output } = chartLint(chart.dir);
    expect(status).toBe(1);
    expect(output).toContain('FAIL  default values on Kubernetes 1.27.0');
    expect(output).toMatch(/chart:lint: \d+ run\(s\) of helm lint --strict failed/);
  } finally {
    chart.remove();
  }
});
