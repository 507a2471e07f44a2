/**
 * Cases e and f of the real-browser suite, against a dashboard the suite stops and starts (a second
 * `atc dashboard` beside `atc up`'s, same database): an API failure shows the view's error state and
 * its Retry recovers; the live stream survives the restart without losing or repeating an event.
 * @module
 */
import type { Page } from 'playwright-core';
import { signIn } from './browser-harness';
import { OwnDashboard } from './own-dashboard';
import { solBuyProposal } from './operator-api';
import { check, countLoads, LIVE_DEADLINE_MS, openView, type SuiteContext, type WebCase } from './suite';

/** Events written while the dashboard is down. */
const WRITTEN_WHILE_DOWN = 3;
const DISCONNECTED = 'Live stream disconnected';

/** Signs in on a dashboard of the suite's own and opens the Live feed; stops it when the case ends. */
async function onOwnDashboard(
  page: Page,
  context: SuiteContext,
  body: (dashboard: OwnDashboard) => Promise<string[]>,
): Promise<string[]> {
  const dashboard = await OwnDashboard.start(context.company);
  context.cleanup.add(() => dashboard.stop());
  try {
    await signIn(page, dashboard.url, context.keys.operator);
    await openView(page, 'Live feed');
    return await body(dashboard);
  } finally {
    await dashboard.stop();
  }
}

/** The ids of the feed's rows now in the DOM (the list is virtualized: the rows in view). */
async function rowIds(page: Page): Promise<string[]> {
  const rows = await page.locator('[data-event-id]').all();
  return Promise.all(rows.map(async (row) => (await row.getAttribute('data-event-id')) ?? ''));
}

const errorState: WebCase = {
  id: 'e',
  title: 'with the dashboard stopped a read fails: the error state and its Retry',
  run: (page, context) =>
    onOwnDashboard(page, context, async (dashboard) => {
      await dashboard.stop();
      // A new filter is a read the page has not cached: it goes to the stopped dashboard.
      await page.getByLabel('Agent').selectOption('sage');
      const alert = page.locator('main').getByRole('alert');
      await alert.getByRole('button', { name: 'Retry' }).waitFor({ timeout: LIVE_DEADLINE_MS });
      const shown = (await alert.innerText()).replace(/\s+/g, ' ').trim();
      await dashboard.start();
      await alert.getByRole('button', { name: 'Retry' }).click();
      await alert.waitFor({ state: 'detached', timeout: LIVE_DEADLINE_MS });
      const count = (await page.locator('.filters [role=status]').textContent()) ?? '';
      return [`error state: "${shown}"`, `after the restart, Retry: no error, "${count}"`];
    }),
};

const streamSurvivesRestart: WebCase = {
  id: 'f',
  title: 'the stream survives a dashboard restart: every event written meanwhile, exactly once',
  run: (page, context) =>
    onOwnDashboard(page, context, async (dashboard) => {
      const loads = countLoads(page);
      // Only proposal decisions: few enough to all be rows in view. The filter is set (and its page of
      // older events read) before the events exist, so they can only come from the resumed stream.
      await page.getByLabel('Type').selectOption('proposal_decided');
      await page.locator('.filters [role=status]').waitFor();
      const before = new Set((await context.api.events('proposal_decided')).map((event) => event.id));
      await dashboard.stop();
      await page.getByRole('status').filter({ hasText: DISCONNECTED }).waitFor({ timeout: LIVE_DEADLINE_MS });
      for (let index = 0; index < WRITTEN_WHILE_DOWN; index += 1) {
        const title = `Buy SOL with 45 USDC (written while down ${Date.now()}-${index})`;
        await context.api.submitProposal(solBuyProposal(title, 45));
      }
      const written = (await context.api.events('proposal_decided'))
        .map((event) => event.id)
        .filter((id) => !before.has(id));
      check(written.length >= WRITTEN_WHILE_DOWN, `only ${written.length} events were written`);
      await dashboard.start();
      await page.getByText(DISCONNECTED).waitFor({ state: 'detached', timeout: LIVE_DEADLINE_MS });
      const selector = written.map((id) => `[data-event-id="${id}"]`).join(', ');
      await page
        .locator(selector)
        .nth(written.length - 1)
        .waitFor({ timeout: LIVE_DEADLINE_MS })
        .catch(() => undefined); // the checks below name what is missing
      const ids = await rowIds(page);
      const missing = written.filter((id) => !ids.includes(id));
      const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
      check(missing.length === 0, `events missing from the feed: ${missing.join(', ')}`);
      check(repeated.length === 0, `events shown more than once: ${repeated.join(', ')}`);
      check(loads() === 0, `the page reloaded ${loads()} time(s)`);
      return [
        `banner "${DISCONNECTED}" while down; ${written.length} events written meanwhile: #${written.join(', #')}`,
        `after the restart each is in the feed once (${ids.length} rows in view, none repeated), no reload`,
      ];
    }),
};

export const restartCases: readonly WebCase[] = [errorState, streamSurvivesRestart];
