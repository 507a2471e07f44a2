/**
 * The shape of a case of the real-browser suite and what every case is given: the company, its
 * dashboard's URL, a key per role, the operator API, and helpers to move around the app as a person
 * does (the nav's links, so the page and its stream stay open).
 * @module
 */
import type { Browser, Page } from 'playwright-core';
import type { LocalCompany } from '../monitoring/local-company';
import type { Cleanup } from '../monitoring/cleanup';
import { settled, VIEW_DEADLINE_MS, type ApiRole } from './browser-harness';
import type { OperatorApi } from './operator-api';
import { pollUntil } from '../monitoring/poll-until';

export interface SuiteContext {
  readonly browser: Browser;
  readonly company: LocalCompany;
  /** `atc up`'s dashboard. */
  readonly base: string;
  readonly keys: Readonly<Record<ApiRole, string>>;
  /** The name each key was created with: the API records it as who decided or engaged. */
  readonly keyNames: Readonly<Record<ApiRole, string>>;
  /** The operator API of `atc up`'s dashboard, with the operator key. */
  readonly api: OperatorApi;
  readonly cleanup: Cleanup;
}

export interface WebCase {
  readonly id: string;
  readonly title: string;
  /** Resolves with evidence lines for the report; throws when the case fails. */
  run(page: Page, context: SuiteContext): Promise<string[]>;
}

/** Deadline for what a worker or the stream brings (an order filled, a reconnect after backoff). */
export const LIVE_DEADLINE_MS = 45_000;

/** Clicks the view's link in the nav (the app routes in place: no reload) and waits for its data. */
export async function openView(page: Page, title: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('link', { name: title, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: VIEW_DEADLINE_MS });
  await settled(page);
}

/** Throws `message` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Counts the page's loads from now (a reload, a `goto`; not the app's own routing): a case that must not reload checks it. */
export function countLoads(page: Page): () => number {
  let loads = 0;
  page.on('load', () => (loads += 1));
  return () => loads;
}

/** Polls `probe` until it answers something (an API answer the page depends on); throws at the deadline. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  deadlineMs = LIVE_DEADLINE_MS,
): Promise<T> {
  const { value } = await pollUntil(
    what,
    async () => {
      const found = await probe();
      return {
        done: found !== undefined,
        value: found as T,
        last: found === undefined ? 'not yet' : 'found',
      };
    },
    { deadlineMs, intervalMs: 250 },
  );
  return value;
}
