/**
 * The configuration of the e2e's Prometheus: one scrape job per role of `atc up` (static target: the
 * role's admin port), every second, and the rule file evaluated every second, so an alert with a
 * 2 s `for:` fires within a few seconds of its condition.
 * @module
 */
import { stringify } from 'yaml';

export interface ScrapeTarget {
  /** The job label Prometheus puts on the role's series: `atc-dashboard`, `atc-worker-crypto`, … */
  readonly job: string;
  /** `host:port` of the role's admin server (`/metrics`). */
  readonly address: string;
}

export interface PrometheusConfigOptions {
  readonly targets: readonly ScrapeTarget[];
  readonly ruleFiles: readonly string[];
  readonly intervalSeconds?: number;
}

/** The job name of a role of `atc up` (its name in `atc up`'s table: `worker-crypto`, `heartbeat`). */
export function jobName(role: string): string {
  return `atc-${role}`;
}

export function prometheusConfig(options: PrometheusConfigOptions): string {
  const interval = `${options.intervalSeconds ?? 1}s`;
  return stringify(
    {
      global: {
        scrape_interval: interval,
        // A scrape may not outlast its interval (Prometheus refuses the configuration).
        scrape_timeout: interval,
        evaluation_interval: interval,
      },
      rule_files: [...options.ruleFiles],
      scrape_configs: options.targets.map((target) => ({
        job_name: target.job,
        metrics_path: '/metrics',
        static_configs: [{ targets: [target.address] }],
      })),
    },
    { lineWidth: 0 },
  );
}
