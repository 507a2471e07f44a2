/**
 * `npm run test:web-e2e` (web/README.md, "Testing in a real browser"): the web app in Debian's
 * Chromium, driven by playwright-core, against the real company — `atc up --fresh` with the venue
 * simulator, its own ATC_HOME and ports. Each case runs in a fresh browser context, is printed with
 * PASS or FAIL and its evidence, and on failure leaves a screenshot in test-results/web-e2e/. Exits 1
 * when any case failed, or when Chromium is missing (a browser test fails, never skips). Everything it
 * started is stopped and its scratch folder removed, on success, failure, SIGINT or SIGTERM.
 * @module
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { makeScratchDirectory } from '@atc/platform';
import { Cleanup } from '../monitoring/cleanup';
import { accessibilityCase } from './accessibility';
import {
  build,
  createApiKey,
  dashboardUrl,
  launchChromium,
  REPO_ROOT,
  requireChromium,
  startCompany,
  type ApiRole,
} from './browser-harness';
import { OperatorApi } from './operator-api';
import { restartCases } from './restart-cases';
import type { SuiteContext, WebCase } from './suite';
import { tradingCases } from './trading-cases';

const FAILURES = path.join(REPO_ROOT, 'test-results', 'web-e2e');
const ALL_CASES: readonly WebCase[] = [...tradingCases, ...restartCases, accessibilityCase];
/** WEB_E2E_CASES=b,f runs only those cases (while working on one); every case runs by default. */
const CASES = process.env.WEB_E2E_CASES
  ? ALL_CASES.filter((entry) => process.env.WEB_E2E_CASES!.split(',').includes(entry.id))
  : ALL_CASES;
const ROLES: readonly ApiRole[] = ['viewer', 'operator', 'admin'];
/**
 * The API's limit is per client address, and every browser context and API call of the suite comes
 * from 127.0.0.1 — about 300 requests a minute, several people's worth, against 100 by default.
 */
const SETTINGS = { API_RATE_LIMIT_PER_MINUTE: '100000' } as const;

function say(text: string): void {
  process.stdout.write(`web-e2e: ${text}\n`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface CaseResult {
  readonly entry: WebCase;
  readonly passed: boolean;
  readonly ms: number;
}

/** Runs one case in a browser context of its own; on failure screenshots its page and says where. */
async function runCase(browser: Browser, entry: WebCase, context: SuiteContext): Promise<CaseResult> {
  const started = Date.now();
  say(`${entry.id}. ${entry.title}`);
  const browserContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await browserContext.newPage();
  try {
    const evidence = await entry.run(page, context);
    for (const line of evidence) say(`     ${line}`);
    say(`   PASS (${seconds(Date.now() - started)})`);
    return { entry, passed: true, ms: Date.now() - started };
  } catch (error) {
    say(
      `   FAIL (${seconds(Date.now() - started)}): ${error instanceof Error ? error.message : String(error)}`,
    );
    mkdirSync(FAILURES, { recursive: true });
    const file = path.join(FAILURES, `${entry.id}.png`);
    await page
      .screenshot({ path: file, fullPage: true })
      .then(() => say(`   screenshot: ${path.relative(REPO_ROOT, file)} (at ${page.url()})`))
      .catch((shot: unknown) =>
        say(`   no screenshot: ${shot instanceof Error ? shot.message : String(shot)}`),
      );
    return { entry, passed: false, ms: Date.now() - started };
  } finally {
    await browserContext.close();
  }
}

async function main(cleanup: Cleanup): Promise<number> {
  const startedAt = Date.now();
  requireChromium();
  build({ fresh: true, say });
  rmSync(FAILURES, { recursive: true, force: true });
  const work = makeScratchDirectory('atc-web-e2e-');
  cleanup.add(() => rmSync(work, { recursive: true, force: true }));
  say('starting atc up --fresh (own ATC_HOME and ports, the venue simulator)');
  const company = await startCompany(work, SETTINGS);
  cleanup.add(() => company.stop());
  const base = dashboardUrl(company);
  say(`atc up ready in ${seconds(Date.now() - startedAt)}: dashboard ${base}`);
  const keyNames = Object.fromEntries(ROLES.map((role) => [role, `web-e2e-${role}`])) as Record<
    ApiRole,
    string
  >;
  const keys = Object.fromEntries(
    await Promise.all(ROLES.map(async (role) => [role, await createApiKey(company, keyNames[role], role)])),
  ) as Record<ApiRole, string>;
  const browser = await launchChromium();
  cleanup.add(() => browser.close());
  const context: SuiteContext = {
    browser,
    company,
    base,
    keys,
    keyNames,
    api: new OperatorApi(base, keys.operator),
    cleanup,
  };
  const results: CaseResult[] = [];
  for (const entry of CASES) results.push(await runCase(browser, entry, context));
  say('');
  say(`summary (${seconds(Date.now() - startedAt)} in all):`);
  for (const { entry, passed, ms } of results) {
    say(`  ${passed ? 'PASS' : 'FAIL'}  ${entry.id}. ${entry.title} (${seconds(ms)})`);
  }
  if (results.some((result) => !result.passed)) say(`atc up's last lines:\n${company.tail(30)}`);
  return results.every((result) => result.passed) ? 0 : 1;
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
    say(code === 0 ? 'every case passed' : 'FAILED (see above)');
    process.exit(code);
  });
