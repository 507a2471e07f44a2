/**
 * Accessibility: axe-core (`@axe-core/playwright`) on the sign-in form and on every view, signed in
 * as an admin (every control shown) with the company's data loaded, in the light and the dark colour
 * scheme (the app follows the system's, and contrast is checked per scheme). A violation of impact
 * serious or critical fails the case; the counts by impact are printed per view.
 * @module
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { readViewPaths, settled, signIn, viewName } from './browser-harness';
import type { SuiteContext, WebCase } from './suite';

const IMPACTS = ['critical', 'serious', 'moderate', 'minor'] as const;
type Impact = (typeof IMPACTS)[number];
const FAILING: readonly Impact[] = ['critical', 'serious'];

export interface AxeCounts {
  readonly view: string;
  readonly counts: Readonly<Record<Impact, number>>;
  /** `rule (impact): the first failing element`, for the serious and critical ones. */
  readonly failures: readonly string[];
  /** Every violated rule's id with its impact. */
  readonly rules: readonly string[];
}

export async function axeCounts(page: Page, view: string): Promise<AxeCounts> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const counts: Record<Impact, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  const failures: string[] = [];
  const rules: string[] = [];
  for (const violation of violations) {
    const impact: Impact = violation.impact ?? 'minor';
    counts[impact] += violation.nodes.length;
    rules.push(`${violation.id} (${impact})`);
    if (FAILING.includes(impact)) {
      const node = violation.nodes[0];
      failures.push(
        `${violation.id} (${impact}, ${violation.nodes.length}×): ${violation.help} — ${node?.target.join(' ') ?? ''} ${node?.failureSummary ?? ''}`.replace(
          /\s+/g,
          ' ',
        ),
      );
    }
  }
  return { view, counts, failures, rules };
}

/** `view  critical 0, serious 0, moderate 1, minor 0  [rule (impact), …]`: elements by impact. */
export function formatCounts({ view, counts, rules }: AxeCounts): string {
  const figures = IMPACTS.map((impact) => `${impact} ${counts[impact]}`).join(', ');
  return `${view.padEnd(22)} ${figures}${rules.length > 0 ? `  [${rules.join(', ')}]` : ''}`;
}

/** axe in the light and then the dark scheme, on the page as it is (a scheme switch restyles it in place). */
async function bothSchemes(page: Page, view: string): Promise<AxeCounts[]> {
  const results: AxeCounts[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    results.push(await axeCounts(page, `${view} (${colorScheme})`));
  }
  return results;
}

/** The sign-in form, then every view reached by its nav link (no reload), signed in as an admin. */
async function everyView(page: Page, context: SuiteContext): Promise<AxeCounts[]> {
  await page.goto(`${context.base}/`);
  await page.getByLabel('API key').waitFor();
  const results = await bothSchemes(page, 'sign-in');
  await signIn(page, context.base, context.keys.admin);
  for (const view of readViewPaths()) {
    await page.getByRole('navigation', { name: 'Views' }).locator(`a[href="${view}"]`).click();
    await page.waitForURL(`${context.base}${view}`);
    await settled(page);
    results.push(...(await bothSchemes(page, viewName(view))));
  }
  return results;
}

export const accessibilityCase: WebCase = {
  id: 'g',
  title: 'axe on every view (light and dark): no serious or critical violation',
  async run(page, context) {
    const results = await everyView(page, context);
    const failures = results.flatMap((result) =>
      result.failures.map((failure) => `${result.view}: ${failure}`),
    );
    const lines = results.map(formatCounts);
    if (failures.length > 0) throw new Error([...lines, 'serious or critical:', ...failures].join('\n'));
    return lines;
  },
};
