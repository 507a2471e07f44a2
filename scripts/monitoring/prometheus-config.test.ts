import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { jobName, prometheusConfig } from './prometheus-config';
import { renderRuleFile, testAlertRules } from './test-alert-rules';

const work = mkdtempSync(path.join(tmpdir(), 'atc-prometheus-config-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const targets = ['dashboard', 'worker-crypto', 'heartbeat'].map((role, index) => ({
  job: jobName(role),
  address: `127.0.0.1:${9100 + index}`,
}));

describe('prometheusConfig', () => {
  it('scrapes one job per role every second and evaluates the rule files every second', () => {
    const config = parse(prometheusConfig({ targets, ruleFiles: ['/x/rules.yaml'] })) as {
      global: Record<string, string>;
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(config.global).toEqual({ scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' });
    expect(config.rule_files).toEqual(['/x/rules.yaml']);
    expect(config.scrape_configs.map((job) => [job.job_name, job.static_configs[0]!.targets])).toEqual([
      ['atc-dashboard', ['127.0.0.1:9100']],
      ['atc-worker-crypto', ['127.0.0.1:9101']],
      ['atc-heartbeat', ['127.0.0.1:9102']],
    ]);
  });

  it('is a configuration promtool accepts, rule file included', () => {
    const ruleFile = path.join(work, 'rules.yaml');
    writeFileSync(ruleFile, renderRuleFile(testAlertRules()));
    const configFile = path.join(work, 'prometheus.yml');
    writeFileSync(configFile, prometheusConfig({ targets, ruleFiles: [ruleFile] }));
    const result = spawnSync('promtool', ['check', 'config', configFile], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toMatch(
      new RegExp(`SUCCESS: ${testAlertRules().groups.flatMap((group) => group.rules).length} rules found`),
    );
    expect(result.status).toBe(0);
  });

  it('is refused by promtool when a scrape could outlast its interval', () => {
    const configFile = path.join(work, 'slow.yml');
    const text = prometheusConfig({ targets, ruleFiles: [] }).replace(
      'scrape_timeout: 1s',
      'scrape_timeout: 5s',
    );
    writeFileSync(configFile, text);
    expect(spawnSync('promtool', ['check', 'config', configFile], { encoding: 'utf8' }).status).not.toBe(0);
  });
});
