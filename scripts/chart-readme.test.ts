import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The values-README drift check (`npm run chart:readme:check`), run on scratch copies of the chart.
const SCRIPT = path.join(__dirname, 'chart-readme.mjs');
const CHART = path.join(__dirname, '..', 'charts', 'atc');

function runCheck(chart: string): { status: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [SCRIPT, '--check', '--chart', chart], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

describe('chart values README drift check', () => {
  let scratch: string;
  let chart: string;

  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'atc-chart-readme-test-'));
    chart = path.join(scratch, 'atc');
    cpSync(CHART, chart, { recursive: true });
  });

  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('passes on the committed chart', () => {
    expect(runCheck(chart)).toMatchObject({ status: 0 });
  });

  it('fails when a value is redescribed without regenerating the README', () => {
    const values = path.join(chart, 'values.yaml');
    const text = readFileSync(values, 'utf8');
    const changed = text.replace(
      '## @param image.pullPolicy Image pull policy',
      '## @param image.pullPolicy How to pull',
    );
    expect(changed).not.toBe(text);
    writeFileSync(values, changed);

    const result = runCheck(chart);
    expect(result.status).toBe(1);
    expect(result.output).toContain('README.md is stale');
  });

  it('fails when a value has no @param comment', () => {
    const values = path.join(chart, 'values.yaml');
    writeFileSync(values, `${readFileSync(values, 'utf8')}undocumented: true\n`);

    const result = runCheck(chart);
    expect(result.status).toBe(1);
    expect(result.output).toContain('Wrong metadata');
  });
});
