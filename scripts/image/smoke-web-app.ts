/**
 * The image smoke's look at the web app (scripts/image/image-smoke.ts): the dashboard started from
 * the replayed image answers `/` with the image's own `web/dist/index.html` (revalidated on every
 * load) and the first script it names (cached for a year) — or, when the build put no `index.html`
 * in the image (a web workspace without a build yet), 503 with the page saying to run
 * `npm run build`. Either way `/api/…` stays the API's problem+json 404.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const NAVIGATION = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

async function expectAnswer(
  url: string,
  expected: { status: number; type: RegExp; cacheControl?: string; body?: (text: string) => boolean },
): Promise<string> {
  const res = await fetch(url, { headers: NAVIGATION });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const cacheControl = res.headers.get('cache-control');
  const problems = [
    res.status === expected.status ? null : `status ${res.status}, not ${expected.status}`,
    expected.type.test(type) ? null : `content-type ${type}, not ${expected.type}`,
    expected.cacheControl === undefined || cacheControl === expected.cacheControl
      ? null
      : `cache-control ${cacheControl}, not ${expected.cacheControl}`,
    expected.body === undefined || expected.body(text) ? null : `an unexpected body: ${text.slice(0, 200)}`,
  ].filter((problem) => problem !== null);
  if (problems.length > 0) throw new Error(`GET ${url} answered ${problems.join(', ')}`);
  return text;
}

/** The first `/assets/….js` a page names in a `src` attribute. */
export function firstScript(html: string): string | undefined {
  return /\ssrc="(\/assets\/[^"?#]+\.js)"/.exec(html)?.[1];
}

/**
 * Checks the web app of the dashboard at `baseUrl` against `distDirectory`, the image's web/dist as
 * seen from the host. Returns what it saw, for the smoke's log; throws naming what is wrong.
 */
export async function checkWebApp(baseUrl: string, distDirectory: string): Promise<string> {
  await expectAnswer(`${baseUrl}/api/unknown`, { status: 404, type: /^application\/problem\+json/ });
  const indexFile = path.join(distDirectory, 'index.html');
  if (!existsSync(indexFile)) {
    await expectAnswer(`${baseUrl}/`, {
      status: 503,
      type: /^text\/html/,
      body: (text) => text.includes('npm run build'),
    });
    return '/ answers 503 "run npm run build" (the image has no web build)';
  }
  const index = readFileSync(indexFile, 'utf8');
  await expectAnswer(`${baseUrl}/`, {
    status: 200,
    type: /^text\/html/,
    cacheControl: 'no-cache',
    body: (text) => text === index,
  });
  const script = firstScript(index);
  if (script === undefined) throw new Error(`${indexFile} names no /assets/*.js script`);
  await expectAnswer(`${baseUrl}${script}`, {
    status: 200,
    type: /^(text|application)\/javascript/,
    cacheControl: 'public, max-age=31536000, immutable',
    body: (text) => text === readFileSync(path.join(distDirectory, script), 'utf8'),
  });
  return `/ answers the image's index.html, ${script} is served cached for a year`;
}
