/**
 * Cases a–d of the real-browser suite: sign-in and sign-out, a proposal approved in the page and
 * followed to its fill and position, the kill switch engaged and released, and what a viewer cannot do.
 * @module
 */
import type { Page } from 'playwright-core';
import { signIn, VIEW_DEADLINE_MS } from './browser-harness';
import { solBuyProposal, SOL } from './operator-api';
import {
  check,
  countLoads,
  LIVE_DEADLINE_MS,
  openView,
  waitFor,
  type SuiteContext,
  type WebCase,
} from './suite';

const signInAndOut: WebCase = {
  id: 'a',
  title: 'sign in with an operator key, see the role, sign out',
  async run(page, { base, keys }) {
    await signIn(page, base, keys.operator);
    const role = (await page.getByTestId('role').textContent())?.trim();
    check(role === 'operator', `the header names the role "${role}", not "operator"`);
    const stored = await page.evaluate('Object.keys(localStorage).length');
    check(stored === 0, `the key must never be in localStorage; it holds ${String(stored)} item(s)`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor({ timeout: VIEW_DEADLINE_MS });
    const kept = await page.evaluate('JSON.stringify(sessionStorage)');
    check(!String(kept).includes(keys.operator), 'after sign-out the key is still in sessionStorage');
    return [`header showed "${role}"; after Sign out the sign-in form is back and the key is gone`];
  },
};

/** Selects `type` in the feed's Type filter and waits for a row of that type naming `text`. */
async function feedRow(page: Page, type: string, text: string): Promise<string> {
  await page.getByLabel('Type').selectOption(type);
  const row = page.locator('[data-event-id]', { hasText: text }).filter({ hasText: type }).first();
  await row.waitFor({ timeout: LIVE_DEADLINE_MS });
  return (await row.getAttribute('data-event-id')) ?? '?';
}

async function submitAwaiting(context: SuiteContext, title: string): Promise<string> {
  const decision = await context.api.submitProposal(solBuyProposal(title, 45));
  check(
    decision.status === 'awaiting_approval',
    `the proposal was ${decision.status} (${decision.reasonCode}: ${decision.reasonMessage}), not awaiting approval`,
  );
  return decision.proposalId;
}

const approveAndFollow: WebCase = {
  id: 'b',
  title: 'a proposal arrives live, is approved in the page, its order, fill and position appear',
  async run(page, context) {
    await signIn(page, context.base, context.keys.operator);
    await openView(page, 'Proposals');
    const loads = countLoads(page);
    const title = `Buy SOL with 45 USDC (web e2e ${Date.now()})`;
    const proposalId = await submitAwaiting(context, title);
    const card = page.getByRole('article', { name: title });
    await card.waitFor({ timeout: LIVE_DEADLINE_MS });
    const { contentHash } = await context.api.proposal(proposalId);
    const shown = (await card.getByTestId('content-hash').textContent()) ?? '';
    check(contentHash.startsWith(shown.replace('…', '')), `hash shown ${shown} is not ${contentHash}`);
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.locator('.badge', { hasText: 'approved' }).waitFor({ timeout: LIVE_DEADLINE_MS });
    const detail = await context.api.proposal(proposalId);
    const gate = detail.gateResults.at(-1);
    check(
      detail.status === 'approved' && gate?.decidedBy === context.keyNames.operator,
      `the API has the proposal ${detail.status}, last decided by ${gate?.decidedBy}`,
    );
    const clientOrderId = await waitFor('the approved proposal has an order', async () => {
      const { orders } = await context.api.proposal(proposalId);
      return orders[0]?.clientOrderId;
    });
    const order = await waitFor('the order is filled', async () => {
      const found = await context.api.order(clientOrderId);
      return found.status === 'filled' ? found : undefined;
    });
    await openView(page, 'Live feed');
    const created = await feedRow(page, 'order_created', order.id);
    const filled = await feedRow(page, 'fill_recorded', order.id);
    await openView(page, 'Positions');
    const position = page.getByTestId('position').filter({ hasText: order.filledQuantity }).first();
    await position.waitFor({ timeout: LIVE_DEADLINE_MS });
    check(loads() === 0, `the page reloaded ${loads()} time(s); everything must arrive live`);
    return [
      `"${title}" appeared without a reload; approved with hash ${shown} (the API's ${contentHash.slice(0, 16)}…)`,
      `order ${order.id}: order_created #${created}, fill_recorded #${filled} in the feed`,
      `position of ${order.filledQuantity} ${SOL.slice(0, 8)}… in Positions`,
    ];
  },
};

/**
 * Fills the kill-switch form named `form` and submits it, checking the typed confirmation first; then
 * waits for the view's state to read `after`.
 */
async function haltForm(
  page: Page,
  form: string,
  reason: string,
  word: string,
  after: string,
): Promise<void> {
  const scope = page.getByRole('form', { name: form });
  await scope.getByLabel('Reason').fill(reason);
  const button = scope.getByRole('button', { name: form.split(' ')[0] });
  await scope.getByLabel(`Type ${word} to confirm`).fill(word.toLowerCase());
  check(await button.isDisabled(), `${form}: the button is enabled before the exact word is typed`);
  await scope.getByLabel(`Type ${word} to confirm`).fill(word);
  await button.click();
  await page
    .getByTestId('kill-switch-state')
    .filter({ hasText: after })
    .waitFor({ timeout: VIEW_DEADLINE_MS });
}

/** Engage, see it in the Overview, release, see that too. */
async function engageAndRelease(page: Page, { base, keys, keyNames }: SuiteContext): Promise<string[]> {
  await signIn(page, base, keys.admin);
  await openView(page, 'Overview');
  const overview = page.getByTestId('kill-switch');
  await overview.filter({ hasText: 'released' }).waitFor({ timeout: VIEW_DEADLINE_MS });
  const reason = `web e2e drill ${Date.now()}`;
  await openView(page, 'Kill switch');
  await haltForm(page, 'Engage the kill switch', reason, 'ENGAGE', 'Engaged by');
  await openView(page, 'Overview');
  await overview
    .filter({ hasText: `engaged by ${keyNames.admin}` })
    .filter({ hasText: reason })
    .waitFor({ timeout: LIVE_DEADLINE_MS });
  const engaged = (await overview.textContent()) ?? '';
  await openView(page, 'Kill switch');
  await haltForm(page, 'Release the kill switch', `${reason} over`, 'RELEASE', 'Released');
  await openView(page, 'Overview');
  await overview.filter({ hasText: 'released' }).waitFor({ timeout: LIVE_DEADLINE_MS });
  return [`Overview: "${engaged}", then "${(await overview.textContent()) ?? ''}"`];
}

const killSwitch: WebCase = {
  id: 'c',
  title: 'engage the kill switch with a reason and release it as admin; Overview follows',
  async run(page, context) {
    try {
      return await engageAndRelease(page, context);
    } catch (error) {
      // Left engaged, it would refuse every later case's proposal: release it for them.
      await context.company.atc(['kill-switch', 'off', '--reason', 'web e2e: case c failed']);
      throw error;
    }
  },
};

const viewerCannotAct: WebCase = {
  id: 'd',
  title: 'a viewer sees no approve button and no kill-switch controls',
  async run(page, context) {
    const title = `Buy SOL with 45 USDC (viewer check ${Date.now()})`;
    await submitAwaiting(context, title);
    await signIn(page, context.base, context.keys.viewer);
    await openView(page, 'Proposals');
    const card = page.getByRole('article', { name: title });
    await card.waitFor({ timeout: VIEW_DEADLINE_MS });
    await card.getByText('Gate results').first().waitFor();
    const approve = await page.getByRole('button', { name: 'Approve' }).count();
    const reject = await page.getByRole('button', { name: 'Reject' }).count();
    check(approve + reject === 0, `a viewer sees ${approve} Approve and ${reject} Reject button(s)`);
    await openView(page, 'Kill switch');
    await page.getByTestId('kill-switch-state').waitFor();
    const forms = await page.getByRole('form').count();
    const controls = await page.getByRole('button', { name: /Engage|Release|Reset/ }).count();
    check(forms + controls === 0, `a viewer sees ${forms} kill-switch form(s), ${controls} control(s)`);
    await page.getByText('Your role (viewer) can read the kill switch').waitFor();
    return [`the awaiting "${title}" shows no Approve or Reject; the kill switch shows its state only`];
  },
};

export const tradingCases: readonly WebCase[] = [signInAndOut, approveAndFollow, killSwitch, viewerCannotAct];
