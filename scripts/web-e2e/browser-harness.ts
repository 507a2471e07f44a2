/**
 * What `npm run screenshots` and `npm run test:web-e2e` share: the build, Debian's Chromium (an error
 * naming the package when it is missing), the company under test (`atc up --fresh` on ports of its
 * own, scripts/monitoring/local-company.ts), API keys made by the CLI, signing in, and waiting for a
 * view to leave its loading state.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chooseCompanyPorts, LocalCompany } from '../monitoring/local-company';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BUNDLE = path.join(REPO_ROOT, 'dist', 'atc.cjs');
const WEB_INDEX = path.join(REPO_ROOT, 'web', 'dist', 'index.html');
/** CHROMIUM_PATH points at another Chromium build; Debian's package installs /usr/bin/chromium. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** How long a view may take to show its data (the API's first answers, a lazily loaded chunk). */
export const VIEW_DEADLINE_MS = 15_000;

export type ApiRole = 'viewer' | 'operator' | 'admin';

/** Throws, naming the Debian package, when there is no Chromium: a browser test fails, never skips. */
export function requireChromium(executable = CHROMIUM): string {
  if (!existsSync(executable)) {
    throw new Error(
      `no Chromium at ${executable}: install Debian's package chromium ` +
        '(apt-get install -y --no-install-recommends chromium) or set CHROMIUM_PATH',
    );
  }
  return executable;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromium(), args: ['--no-sandbox'] });
}

/** `npm run build` (bundle, web app): always when `fresh`, else only when either is missing. */
export function build(options: { fresh: boolean; say: (text: string) => void }): void {
  if (!options.fresh && existsSync(BUNDLE) && existsSync(WEB_INDEX)) return;
  options.say('building (npm run build)');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** The views the app routes to, read from its route table (`path: '/…'`), overview first. */
export function viewPaths(routeTable: string): string[] {
  return [...routeTable.matchAll(/path: '(\/[a-z-]*)'/g)].map((match) => match[1]!);
}

export function readViewPaths(): string[] {
  return viewPaths(readFileSync(path.join(REPO_ROOT, 'web', 'src', 'app', 'views.ts'), 'utf8'));
}

/** `overview` for `/`, else the path without its slash: a file name or a report's label. */
export function viewName(viewPath: string): string {
  return viewPath === '/' ? 'overview' : viewPath.slice(1);
}

/** `atc up --fresh` with its own ATC_HOME (in `work`) and free ports, every role ready. */
export async function startCompany(
  work: string,
  settings: Readonly<Record<string, string>> = {},
): Promise<LocalCompany> {
  return LocalCompany.start({
    bundle: BUNDLE,
    home: path.join(work, '.atc'),
    ports: await chooseCompanyPorts(),
    settings: { LOG_LEVEL: 'warn', ...settings },
  });
}

export function dashboardUrl(company: LocalCompany): string {
  return `http://127.0.0.1:${company.ports.dashboard}`;
}

/** `atc apikey create` against the company's database; resolves with the key it printed once. */
export async function createApiKey(company: LocalCompany, name: string, role: ApiRole): Promise<string> {
  const created = await company.atc(['apikey', 'create', '--name', name, '--role', role]);
  const key = /atc_[A-Za-z0-9]+/.exec(created.stdout)?.[0];
  if (created.code !== 0 || !key) throw new Error(`atc apikey create printed no key: ${created.stderr}`);
  return key;
}

/** Opens the app at `base`, pastes the key into the sign-in form and waits for the role in the header. */
export async function signIn(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('role').waitFor({ timeout: VIEW_DEADLINE_MS });
}

/** Waits until the view has left its loading state: its heading is there and nothing says "Loading". */
export async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor({ timeout: VIEW_DEADLINE_MS });
  // Locators, not a predicate evaluated in the page: the app's Content-Security-Policy forbids eval.
  await page
    .locator('main', { hasText: /Loading/i })
    .waitFor({ state: 'detached', timeout: VIEW_DEADLINE_MS });
  await page.waitForLoadState('networkidle');
}
