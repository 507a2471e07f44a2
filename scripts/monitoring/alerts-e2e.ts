/**
 * `npm run alerts:e2e` (docs/operations/alerts-e2e.md): the alert rules in a real Prometheus against
 * a real company. Starts `atc up --fresh` (own ATC_HOME and ports), Debian's `prometheus` scraping
 * every role each second with the test rule file loaded, then causes three conditions for real — the
 * kill switch engaged, the heartbeat loop stopped until stale, a venue failing until its breaker
 * opens — and watches each alert go `firing` and clear through `/api/v1/alerts`. Each case is run
 * and reported on its own; the exit code is 1 when any failed. Everything it started is stopped and
 * its temporary folder removed, on success, failure, SIGINT or SIGTERM.
 * @module
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { findFreePort, makeScratchDirectory } from '@atc/platform';
import { alertCases, type AlertCaseContext } from './alert-cases';
import { Cleanup } from './cleanup';
import { runAlertCase, type AlertCaseResult } from './alert-case';
import { chooseCompanyPorts, LocalCompany } from './local-company';
import { jobName, prometheusConfig } from './prometheus-config';
import { checkRuleFile, PrometheusServer } from './prometheus-server';
import { renderRuleFile, testAlertRules } from './test-alert-rules';
import { buildAtcBundle } from './build-bundle';

const REPO_ROOT = path.resolve(__dirname, '../..');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'atc.cjs');
/** A heartbeat every 2 s keeps its last success fresh and quotes Jupiter often enough to trip and probe the breaker. */
const HEARTBEAT_INTERVAL_SECONDS = 2;
/** Long enough for the alert's 2 s `for:` to fire while the breaker stays open; short enough to clear quickly. */
const BREAKER_RESET_SECONDS = 15;

function say(text: string): void {
  process.stdout.write(`alerts-e2e: ${text}\n`);
}

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

function report(results: readonly AlertCaseResult[], startedAt: number): void {
  say('');
  say(`summary (${seconds(Date.now() - startedAt)} in all):`);
  for (const result of results) {
    const verdict = result.passed ? 'PASS' : 'FAIL';
    say(
      `  ${verdict}  ${result.alert.padEnd(22)} ${result.title}: fired in ${seconds(result.fireMs)}, cleared in ${seconds(result.clearMs)}`,
    );
    for (const line of result.evidence) say(`          ${line}`);
    if (result.failure) say(`          why: ${result.failure}`);
    if (result.lastAnswer) say(`          Prometheus's last /api/v1/alerts: ${result.lastAnswer}`);
  }
}

async function startPrometheus(
  work: string,
  company: LocalCompany,
  cleanup: Cleanup,
): Promise<PrometheusServer> {
  const ruleFile = path.join(work, 'rules.yaml');
  writeFileSync(ruleFile, renderRuleFile(testAlertRules()));
  say(`rules: ${await checkRuleFile(ruleFile)}`);
  const targets = company.admins.map(({ role, port }) => ({
    job: jobName(role),
    address: `127.0.0.1:${port}`,
  }));
  const configFile = path.join(work, 'prometheus.yml');
  writeFileSync(configFile, prometheusConfig({ targets, ruleFiles: [ruleFile] }));
  const prometheus = await PrometheusServer.start({
    configFile,
    dataDirectory: path.join(work, 'prometheus'),
    port: await findFreePort(),
  });
  cleanup.add(() => prometheus.stop());
  const upMs = await prometheus.allTargetsUp(
    targets.map((target) => target.job),
    30_000,
  );
  say(`Prometheus on ${prometheus.url}: ${targets.map((t) => t.job).join(', ')} up in ${seconds(upMs)}`);
  return prometheus;
}

async function main(cleanup: Cleanup): Promise<number> {
  const startedAt = Date.now();
  const work = makeScratchDirectory('atc-alerts-e2e-');
  cleanup.add(() => rmSync(work, { recursive: true, force: true }));
  buildAtcBundle(say);

  const ports = await chooseCompanyPorts();
  say(
    `starting atc up --fresh (ATC_HOME in ${work}, dashboard :${ports.dashboard}, admin ports from :${ports.adminBase})`,
  );
  const company = await LocalCompany.start({
    bundle: BUNDLE,
    home: path.join(work, '.atc'),
    ports,
    settings: {
      HEARTBEAT_INTERVAL_SECONDS: String(HEARTBEAT_INTERVAL_SECONDS),
      BREAKER_RESET_SECONDS: String(BREAKER_RESET_SECONDS),
      // The dashboard's business-metrics snapshot answers scrapes for a second, not five.
      EXPORTER_CACHE_MS: '1000',
      LOG_LEVEL: 'warn',
    },
  });
  cleanup.add(() => company.stop());
  say(
    `atc up ready in ${seconds(Date.now() - startedAt)}: ${company.admins.map((a) => `${a.role} :${a.port}`).join(', ')}`,
  );

  try {
    const prometheus = await startPrometheus(work, company, cleanup);
    const db = new Pool({ connectionString: company.databaseUrl, max: 1, application_name: 'alerts-e2e' });
    cleanup.add(() => db.end());
    const stopped = new Set<number>();
    // Never leave a role stopped: `atc up` could not drain it.
    cleanup.add(() => stopped.forEach((pid) => process.kill(pid, 'SIGCONT')));
    const context: AlertCaseContext = {
      company,
      db,
      breakerResetSeconds: BREAKER_RESET_SECONDS,
      heartbeatIntervalSeconds: HEARTBEAT_INTERVAL_SECONDS,
      stopped,
    };
    const results: AlertCaseResult[] = [];
    for (const entry of alertCases(context)) {
      say(`${entry.alert}: causing "${entry.title}"`);
      const result = await runAlertCase(prometheus.api, entry);
      say(`${entry.alert}: ${result.passed ? 'PASS' : `FAIL (${result.failure})`}`);
      results.push(result);
    }
    report(results, startedAt);
    return results.every((result) => result.passed) ? 0 : 1;
  } catch (error) {
    say(`atc up's last lines:\n${company.tail()}`);
    throw error;
  }
}

const cleanup = new Cleanup(say);
cleanup.onSignals();
void main(cleanup)
  .catch((error: unknown) => {
    say(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  })
  .then(async (code) => {
    await cleanup.run();
    say(code === 0 ? 'every alert fired and cleared' : 'FAILED (see the summary above)');
    process.exit(code);
  });
