/**
 * `npm run screenshots`: a screenshot of every view of the web app, as a person sees it, into
 * docs/screenshots/<view>.png. Runs the real company (`atc up --fresh` on ports of its own, see
 * scripts/monitoring/local-company.ts), signs in with an admin key in Debian's Chromium driven by
 * playwright-core, and waits for each view's data before it shoots (1280 × 800).
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { makeScratchDirectory } from '@atc/platform';
import { chooseCompanyPorts, LocalCompany } from './monitoring/local-company';

const REPO_ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'atc.cjs');
const OUT = path.join(REPO_ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function say(text: string): void {
  process.stdout.write(`screenshots: ${text}\n`);
}

/** The views the app routes to, read from its route table (`path: '/…'`), overview first. */
export function viewPaths(routeTable: string): string[] {
  return [...routeTable.matchAll(/path: '(\/[a-z-]*)'/g)].map((match) => match[1]!);
}

export function screenshotName(viewPath: string): string {
  return viewPath === '/' ? 'overview' : viewPath.slice(1);
}

/** Waits until the view has left its loading state: its heading is there and nothing says "Loading". */
async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor({ timeout: 15_000 });
  // A string, evaluated in the page: this script is typed without the DOM's types.
  await page.waitForFunction('!/Loading/i.test(document.querySelector("main")?.textContent ?? "")', null, {
    timeout: 15_000,
  });
  await page.waitForLoadState('networkidle');
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
  if (!existsSync(BUNDLE) || !existsSync(path.join(REPO_ROOT, 'web', 'dist', 'index.html'))) {
    say('building (npm run build)');
    if (spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' }).status !== 0) {
      throw new Error('npm run build failed');
    }
  }
  const views = viewPaths(readFileSync(path.join(REPO_ROOT, 'web', 'src', 'app', 'views.ts'), 'utf8'));
  const work = makeScratchDirectory('atc-screenshots-');
  const company = await LocalCompany.start({
    bundle: BUNDLE,
    home: path.join(work, '.atc'),
    ports: await chooseCompanyPorts(),
    settings: { LOG_LEVEL: 'warn' },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const created = await company.atc(['apikey', 'create', '--name', 'screenshots', '--role', 'admin']);
    const key = /atc_[A-Za-z0-9]+/.exec(created.stdout)?.[0];
    if (!key) throw new Error(`atc apikey create printed no key: ${created.stderr}`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const base = `http://127.0.0.1:${company.ports.dashboard}`;
    await page.goto(`${base}/`);
    await page.locator('input').first().fill(key);
    await page.keyboard.press('Enter');
    await page.getByTestId('role').waitFor();
    mkdirSync(OUT, { recursive: true });
    for (const view of views) {
      await page.goto(`${base}${view}`);
      await settled(page);
      const file = path.join(OUT, `${screenshotName(view)}.png`);
      await page.screenshot({ path: file });
      say(`${view} → ${path.relative(REPO_ROOT, file)}`);
    }
  } finally {
    await browser.close();
    await company.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`screenshots: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
