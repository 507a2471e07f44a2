import { type IncomingHttpHeaders, request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { Pool } from '@atc/platform';
import { captureLogger } from '@atc/platform/testing';
import { type RunningApi, startApi } from '../api/testing/test-api';
import { ASSET_CACHE_CONTROL, NOT_BUILT_PAGE, PAGE_CACHE_CONTROL, WEB_ROUTE_LABEL } from './web-app.static';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head></html>';
const SCRIPT = 'console.log("app");';
const STYLE = 'body{color:red}';
const SECRET = 'outside-the-web-app';
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg"/>';
const VENDOR = 'export const big = "' + 'react '.repeat(500) + '";';
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** A build like Vite's: index.html, hashed assets, the manifest under .vite, a dotfile; a secret beside it. */
function makeFixture(root: string): string {
  const dist = path.join(root, 'web', 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  mkdirSync(path.join(dist, '.vite'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), INDEX);
  writeFileSync(path.join(dist, 'assets', 'app-abc123.js'), SCRIPT);
  writeFileSync(path.join(dist, 'assets', 'app-abc123.css'), STYLE);
  writeFileSync(path.join(dist, '.vite', 'manifest.json'), '{}');
  writeFileSync(path.join(dist, '.env'), 'TOKEN=x');
  writeFileSync(path.join(dist, 'robots.txt'), 'User-agent: *');
  writeFileSync(path.join(dist, 'favicon.svg'), FAVICON);
  // Precompressed siblings, as a build step may write them.
  writeFileSync(path.join(dist, 'assets', 'vendor-9f8e.js'), VENDOR);
  writeFileSync(path.join(dist, 'assets', 'vendor-9f8e.js.br'), brotliCompressSync(VENDOR));
  writeFileSync(path.join(dist, 'assets', 'vendor-9f8e.js.gz'), gzipSync(VENDOR));
  writeFileSync(path.join(root, 'web', 'secret.txt'), SECRET);
  writeFileSync(path.join(root, 'package.json'), SECRET);
  return dist;
}

interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly bytes: Buffer;
  readonly body: string;
}

/** The request exactly as written: fetch would normalise dot segments and decompress the body. */
function rawGet(base: string, rawPath: string, headers: Record<string, string> = HTML): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, body: bytes.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function startWith(directory: string): Promise<RunningApi> {
  // No route of the app reads the database: the API's 404 and the web app never touch the pool.
  const pool = {} as Pool;
  return startApi({ routes: [], pool, logger: captureLogger().logger, web: { directory } });
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'atc-web-static-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the dashboard serving a web build', () => {
  let api: RunningApi;
  let url: (path: string) => string;
  beforeAll(async () => {
    api = await startWith(makeFixture(path.join(root, 'built')));
    url = (p) => `${api.baseUrl}${p}`;
  });
  afterAll(() => api.close());

  it.each(['/', '/index.html'])('answers GET %s with index.html, revalidated on every load', async (p) => {
    const res = await fetch(url(p), { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe(PAGE_CACHE_CONTROL);
    expect(await res.text()).toBe(INDEX);
  });

  it('answers a revalidation of index.html with 304', async () => {
    const first = await fetch(url('/'));
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // Not fetch: it adds `Cache-Control: no-cache` to a conditional request, which forbids a 304.
    const again = await rawGet(api.baseUrl, '/', { ...HTML, 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers HEAD with the headers and no body', async () => {
    const page = await fetch(url('/'), { method: 'HEAD' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-length')).toBe(String(INDEX.length));
    expect(await page.text()).toBe('');
    const asset = await fetch(url('/assets/app-abc123.js'), { method: 'HEAD' });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe(ASSET_CACHE_CONTROL);
    expect(await asset.text()).toBe('');
  });

  it.each([
    ['/assets/app-abc123.js', /^(text|application)\/javascript/, SCRIPT],
    ['/assets/app-abc123.css', /^text\/css/, STYLE],
  ])('serves %s with its type, cached for a year', async (p, type, body) => {
    const res = await fetch(url(p));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(type);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe(body);
  });

  it.each(['/favicon.svg', '/favicon.ico'])('answers %s with the SVG icon, never a 404', async (p) => {
    const res = await fetch(url(p), { headers: { accept: 'image/avif,image/webp,image/*,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await res.text()).toBe(FAVICON);
  });

  it('serves another file of the build, revalidated', async () => {
    const res = await fetch(url('/robots.txt'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('cache-control')).toBe(PAGE_CACHE_CONTROL);
  });

  it.each(['/proposals', '/proposals/42', '/system/workers?tab=2'])(
    'answers the app route %s with index.html when the browser navigates',
    async (p) => {
      const res = await fetch(url(p), { headers: HTML });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe(PAGE_CACHE_CONTROL);
      expect(res.headers.get('vary')).toMatch(/\bAccept\b/);
      expect(await res.text()).toBe(INDEX);
    },
  );

  it.each<Record<string, string>>([{ accept: '*/*' }, { accept: 'application/json' }, {}])(
    'answers a path without a file 404 when the request does not ask for HTML (%j)',
    async (headers) => {
      const res = await fetch(url('/proposals/42'), { headers });
      expect(res.status).toBe(404);
      expect(res.headers.get('vary')).toMatch(/\bAccept\b/);
      expect(await res.text()).not.toContain(INDEX);
    },
  );

  it.each(['/assets/app-missing.js', '/assets/nested/app.css', '/assets', '/assets/'])(
    'answers %s 404, never the page, even to a navigation',
    async (p) => {
      const res = await fetch(url(p), { headers: HTML });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(INDEX);
    },
  );

  it.each(['/.env', '/.vite/manifest.json', '/assets/.hidden.js', '/%2eenv'])(
    'never serves the dotfile %s, nor the page in its place',
    async (p) => {
      const res = await fetch(url(p), { headers: HTML });
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).not.toContain('TOKEN');
      expect(body).not.toContain(INDEX);
    },
  );

  it.each([
    '/..%2f..%2fpackage.json',
    '/../secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/index.html%00.js',
  ])('refuses the path %s, which would leave the folder', async (p) => {
    const { status, body } = await rawGet(api.baseUrl, p);
    expect(status).toBe(400);
    expect(body).not.toContain(SECRET);
  });

  it.each([
    ['br, gzip', 'br', brotliDecompressSync],
    ['gzip, deflate', 'gzip', gunzipSync],
    ['br;q=0, gzip', 'gzip', gunzipSync],
    ['identity', undefined, (bytes: Buffer) => bytes],
  ])(
    'serves a precompressed sibling to Accept-Encoding %s (%s)',
    async (acceptEncoding, encoding, decode) => {
      const res = await rawGet(api.baseUrl, '/assets/vendor-9f8e.js', { 'accept-encoding': acceptEncoding });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(res.headers['cache-control']).toBe(ASSET_CACHE_CONTROL);
      expect(res.headers['vary']).toMatch(/\bAccept-Encoding\b/);
      expect(decode(res.bytes).toString('utf8')).toBe(VENDOR);
    },
  );

  it('serves a file without precompressed siblings as it is, varying on nothing but Accept', async () => {
    const res = await rawGet(api.baseUrl, '/assets/app-abc123.js', { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['vary'] ?? '').not.toMatch(/Accept-Encoding/);
    expect(res.body).toBe(SCRIPT);
  });

  it('answers 400 to a path that is not valid percent-encoding', async () => {
    expect((await rawGet(api.baseUrl, '/%E0%A4%A')).status).toBe(400);
  });

  it.each(['POST', 'PUT', 'DELETE'])('answers %s to a page 405 with Allow: GET, HEAD', async (method) => {
    const res = await fetch(url('/proposals'), { method, headers: HTML });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it.each(['/api/unknown', '/api', '/api/proposals/x/y/z'])(
    'leaves %s to the API: its problem+json 404, even to a navigation',
    async (p) => {
      const res = await fetch(url(p), { headers: HTML });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as { status: number; detail: string };
      expect(problem.status).toBe(404);
      expect(problem.detail).toBe(`No route answers GET ${p}.`);
    },
  );

  it.each(['/metrics', '/healthz', '/health/nothing'])('never answers %s with the page', async (p) => {
    const res = await fetch(url(p), { headers: HTML });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(INDEX);
  });

  it('counts what the web app answers under one route label, and a missing asset as unmatched', async () => {
    await fetch(url('/proposals/7'), { headers: HTML });
    await fetch(url('/assets/app-abc123.css'));
    await fetch(url('/assets/app-gone.js'));
    const counts = (await api.registry.getSingleMetric('atc_http_requests_total')!.get()).values;
    const count = (route: string, status: string) =>
      counts.find((value) => value.labels['route'] === route && value.labels['status'] === status)?.value ??
      0;
    expect(count(WEB_ROUTE_LABEL, '200')).toBeGreaterThanOrEqual(2);
    expect(count('unmatched', '404')).toBeGreaterThanOrEqual(1);
    const routes = new Set(counts.map((value) => value.labels['route']));
    expect([...routes].filter((route) => typeof route === 'string' && route.includes('proposals'))).toEqual(
      [],
    );
  });

  it('keeps the health route on the public port', async () => {
    expect((await fetch(url('/health/ready'), { headers: HTML })).status).toBe(200);
  });

  it('sends a CSP that lets the page load its own scripts and styles and connect to its own origin only', async () => {
    const csp = (await fetch(url('/'), { headers: HTML })).headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );
    for (const name of ['default-src', 'script-src', 'style-src', 'connect-src', 'img-src', 'font-src'])
      expect(directives.get(name)).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
  });
});

describe('the dashboard without a web build', () => {
  it.each([
    ['an empty folder', 'empty'],
    ['no folder at all', 'absent'],
  ])('answers pages 503 saying to run npm run build (%s), and the API still works', async (_label, name) => {
    const directory = path.join(root, name, 'web', 'dist');
    if (name === 'empty') mkdirSync(directory, { recursive: true });
    const api = await startWith(directory);
    try {
      for (const p of ['/', '/index.html', '/proposals/42']) {
        const res = await fetch(`${api.baseUrl}${p}`, { headers: HTML });
        expect(res.status).toBe(503);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(res.headers.get('cache-control')).toBe('no-store');
        const body = await res.text();
        expect(body).toBe(NOT_BUILT_PAGE);
        expect(body).toContain('npm run build');
      }
      const missingAsset = await fetch(`${api.baseUrl}/assets/app-abc123.js`, { headers: HTML });
      expect(missingAsset.status).toBe(404);
      const apiAnswer = await fetch(`${api.baseUrl}/api/unknown`, { headers: HTML });
      expect(apiAnswer.status).toBe(404);
      expect(apiAnswer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await fetch(`${api.baseUrl}/health/ready`)).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('serves a build made while it runs at the next load', async () => {
    const directory = path.join(root, 'later', 'web', 'dist');
    const api = await startWith(directory);
    try {
      expect((await fetch(`${api.baseUrl}/`)).status).toBe(503);
      makeFixture(path.join(root, 'later'));
      const res = await fetch(`${api.baseUrl}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(INDEX);
    } finally {
      await api.close();
    }
  });
});
