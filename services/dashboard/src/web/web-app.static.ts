/**
 * The web app's build served by the dashboard role at `/` (docs/api/README.md, "The web app"):
 * GET and HEAD only; hashed files under `assets/` cached for a year; `index.html` revalidated on
 * every load; any other path without a file answered with `index.html` when the request is a page
 * navigation (its Accept names text/html), so the app's own routes work as deep links; 404 otherwise.
 * `/favicon.ico` answers the build's `favicon.svg` when the build has no `.ico`.
 * No directory listing, no dotfiles (`.vite/manifest.json` stays private), no path outside the folder.
 * Without a build (a checkout before `npm run build`) pages answer 503 saying so; the API is unaffected.
 * @module
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ROUTE_LABEL_LOCAL } from '../api/http/http-metrics';
import { HttpProblem } from '../api/http/problem';

export interface WebAppOptions {
  /** The folder of the web app's build: `index.html`, `assets/`. */
  readonly directory: string;
}

/** Hashed file names change with their content: a browser or proxy may keep them for good. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/**
 * `index.html` names the current assets, so it must never be served stale after a deploy. `no-cache`
 * (not `no-store`): a cache may keep it but must revalidate it on every use, so a new build is seen at
 * the next load and an unchanged page costs a 304 instead of the whole file.
 */
export const PAGE_CACHE_CONTROL = 'no-cache';

/** Paths that belong to the API and the probes: never a file, never the app's fallback. */
const RESERVED_PATH = /^\/(api(\/|$)|health|metrics(\/|$))/;
const ASSETS_PREFIX = 'assets/';
/**
 * The app's icon (web/public/favicon.svg, linked from index.html). Browsers and tools that ask for
 * `/favicon.ico` without reading the page get the same SVG rather than a 404.
 */
const FAVICON = 'favicon.svg';
const LEGACY_FAVICON = 'favicon.ico';

/** Shown while the web app is not built; no detail of the server (paths, stacks) in it. */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>atc: web app not built</title></head>
<body>
<h1>The web app is not built</h1>
<p>Run <code>npm run build</code> (it builds the web app into <code>web/dist</code>), then reload.
The API under <code>/api</code> works without it.</p>
</body>
</html>
`;

type RequestedFile =
  | { readonly kind: 'file'; readonly relative: string }
  | { readonly kind: 'refused'; readonly problem: HttpProblem };

/** The URL path as a path inside the folder, or why it is refused. `''` is the folder's root. */
export function requestedFile(urlPath: string): RequestedFile {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    // Malformed percent-encoding cannot name a file.
    return {
      kind: 'refused',
      problem: new HttpProblem(400, 'invalid_path', 'The path is not valid percent-encoded UTF-8.'),
    };
  }
  const segments = decoded.split('/').filter((segment) => segment !== '');
  const escapes = segments.some(
    (segment) => segment === '..' || segment.includes('\\') || segment.includes('\0'),
  );
  if (escapes)
    return { kind: 'refused', problem: new HttpProblem(400, 'invalid_path', 'The path leaves the web app.') };
  // Dotfiles and dot-folders (`.vite/manifest.json`, `.env`) are never served, and their absence is
  // not confirmed either: a plain 404.
  if (segments.some((segment) => segment.startsWith('.')))
    return { kind: 'refused', problem: new HttpProblem(404, 'not_found', `No file at ${urlPath}.`) };
  return { kind: 'file', relative: segments.join('/') };
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    // Missing (or unreadable): not a file we can serve.
    return false;
  }
}

/** Navigation requests name HTML explicitly; `fetch`, scripts and images send `*\/*` or their own types. */
function isPageNavigation(req: Request): boolean {
  return /\btext\/html\b/i.test(req.get('accept') ?? '') && req.accepts('html') === 'html';
}

/** The `route` label of the HTTP metrics for what the web app answers: one value, however many paths. */
export const WEB_ROUTE_LABEL = 'web';

/** Precompressed siblings a build may hold (`app-1a2b.js.br`), in the order they are preferred. */
const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

/** The precompressed sibling of `relative` the client accepts, if the build holds one. */
async function precompressedFile(
  req: Request,
  directory: string,
  relative: string,
): Promise<{ readonly file: string; readonly encoding: string } | undefined> {
  for (const { encoding, suffix } of PRECOMPRESSED) {
    // acceptsEncodings honours q=0 and falls back to identity, which every client accepts.
    if (req.acceptsEncodings(encoding, 'identity') !== encoding) continue;
    if (await isFile(path.join(directory, relative + suffix))) return { file: relative + suffix, encoding };
  }
  return undefined;
}

async function sendFile(
  req: Request,
  res: Response,
  next: NextFunction,
  directory: string,
  relative: string,
  cacheControl: string,
): Promise<void> {
  const headers: Record<string, string> = { 'Cache-Control': cacheControl };
  const compressed = await precompressedFile(req, directory, relative);
  if (compressed) {
    // The type of the file itself, not of its `.br`; caches keep one answer per encoding.
    headers['Content-Type'] =
      res.type(path.extname(relative)).get('Content-Type') ?? 'application/octet-stream';
    headers['Content-Encoding'] = compressed.encoding;
  }
  if (await hasPrecompressed(directory, relative)) res.vary('Accept-Encoding');
  res.locals[ROUTE_LABEL_LOCAL] = WEB_ROUTE_LABEL;
  res.sendFile(
    compressed?.file ?? relative,
    { root: directory, dotfiles: 'deny', cacheControl: false, headers },
    (error?: Error & { status?: number }) => {
      // The client went away or the answer has begun: nothing more can be said.
      if (!error || res.headersSent) return;
      // Not the web app's answer after all.
      delete res.locals[ROUTE_LABEL_LOCAL];
      // The file went away between the check and the read (a build replacing the folder): a 404.
      if (error.status === 404) next();
      else next(error);
    },
  );
}

async function hasPrecompressed(directory: string, relative: string): Promise<boolean> {
  for (const { suffix } of PRECOMPRESSED)
    if (await isFile(path.join(directory, relative + suffix))) return true;
  return false;
}

async function sendIndex(req: Request, res: Response, next: NextFunction, directory: string): Promise<void> {
  if (!(await isFile(path.join(directory, 'index.html')))) {
    res.locals[ROUTE_LABEL_LOCAL] = WEB_ROUTE_LABEL;
    res.status(503).set({ 'Cache-Control': 'no-store', 'Content-Type': 'text/html; charset=utf-8' });
    res.send(NOT_BUILT_PAGE);
    return;
  }
  await sendFile(req, res, next, directory, 'index.html', PAGE_CACHE_CONTROL);
}

async function serve(req: Request, res: Response, next: NextFunction, directory: string): Promise<void> {
  const requested = requestedFile(req.path);
  if (requested.kind === 'refused') return next(requested.problem);
  const { relative } = requested;
  if (relative === '' || relative === 'index.html') return sendIndex(req, res, next, directory);
  const isAsset = relative.startsWith(ASSETS_PREFIX);
  if (await isFile(path.join(directory, relative))) {
    return sendFile(req, res, next, directory, relative, isAsset ? ASSET_CACHE_CONTROL : PAGE_CACHE_CONTROL);
  }
  if (relative === LEGACY_FAVICON && (await isFile(path.join(directory, FAVICON)))) {
    return sendFile(req, res, next, directory, FAVICON, PAGE_CACHE_CONTROL);
  }
  // A missing script or style is a 404, never the page: the browser would run HTML as code.
  if (isAsset || relative === 'assets') return next();
  // The page or a 404 by the Accept header: a cache must not hand one's answer to the other.
  res.vary('Accept');
  if (!isPageNavigation(req)) return next();
  return sendIndex(req, res, next, directory);
}

/** The web app's handler; mount it after the API's routes and before the final 404. */
export function serveWebApp(options: WebAppOptions): RequestHandler {
  const directory = path.resolve(options.directory);
  return (req, res, next) => {
    if (RESERVED_PATH.test(req.path)) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return next(
        new HttpProblem(405, 'method_not_allowed', `${req.method} is not allowed here.`, undefined, {
          Allow: 'GET, HEAD',
        }),
      );
    }
    serve(req, res, next, directory).catch(next);
  };
}

/** Whether `directory` holds a build (its `index.html`), for the start-up log line. */
export function isWebAppBuilt(directory: string): boolean {
  return existsSync(path.join(directory, 'index.html'));
}
