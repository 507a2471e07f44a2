/**
 * `npm run screenshots`: a screenshot of every view of the web app, as a person sees it, into
 * docs/screenshots/<view>.png. Runs the real company (`atc up --fresh` on ports of its own), signs in
 * with an admin key in Debian's Chromium driven by playwright-core, and waits for each view's data
 * before it shoots (1280 × 800). The harness is the end-to-end suite's (scripts/web-e2e/browser-harness.ts).
 * @module
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { makeScratchDirectory } from '@atc/platform';
import {
  build,
  createApiKey,
  dashboardUrl,
  launchChromium,
  readViewPaths,
  REPO_ROOT,
  requireChromium,
  settled,
  signIn,
  startCompany,
  viewName,
} from './web-e2e/browser-harness';

const OUT = path.join(REPO_ROOT, 'docs', 'screenshots');

function say(text: string): void {
  process.stdout.write(`screenshots: ${text}\n`);
}

async function main(): Promise<void> {
  requireChromium();
  build({ fresh: false, say });
  const views = readViewPaths();
  const work = makeScratchDirectory('atc-screenshots-');
  const company = await startCompany(work);
  const browser = await launchChromium();
  try {
    const key = await createApiKey(company, 'screenshots', 'admin');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const base = dashboardUrl(company);
    await signIn(page, base, key);
    mkdirSync(OUT, { recursive: true });
    for (const view of views) {
      await page.goto(`${base}${view}`);
      await settled(page);
      const file = path.join(OUT, `${viewName(view)}.png`);
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
