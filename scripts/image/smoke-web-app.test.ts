import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool } from '@atc/platform';
import { captureLogger } from '@atc/platform/testing';
import { type RunningApi, startApi } from '../../services/dashboard/src/api/testing/test-api';
import { checkWebApp, firstScript } from './smoke-web-app';

const INDEX = '<!doctype html><script type="module" crossorigin src="/assets/index-Ab12.js"></script>';

describe("the image smoke's check of the web app", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'atc-smoke-web-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function writeBuild(dist: string): void {
    mkdirSync(path.join(dist, 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), INDEX);
    writeFileSync(path.join(dist, 'assets', 'index-Ab12.js'), 'export {};');
  }

  async function withDashboard<T>(dist: string, check: (api: RunningApi) => Promise<T>): Promise<T> {
    // The API's 404 and the web app never read the database.
    const api = await startApi({
      routes: [],
      pool: {} as Pool,
      logger: captureLogger().logger,
      web: { directory: dist },
    });
    try {
      return await check(api);
    } finally {
      await api.close();
    }
  }

  it('finds the script a Vite index.html names', () => {
    expect(firstScript(INDEX)).toBe('/assets/index-Ab12.js');
    expect(firstScript('<p>no script</p>')).toBeUndefined();
  });

  it("passes when the dashboard serves the image's build", async () => {
    const dist = path.join(root, 'web', 'dist');
    writeBuild(dist);
    await expect(withDashboard(dist, (api) => checkWebApp(api.baseUrl, dist))).resolves.toMatch(
      /answers the image's index.html/,
    );
  });

  it('passes on the not-built page when the image has no build', async () => {
    const dist = path.join(root, 'web', 'dist');
    mkdirSync(dist, { recursive: true });
    await expect(withDashboard(dist, (api) => checkWebApp(api.baseUrl, dist))).resolves.toMatch(/503/);
  });

  it('fails when the dashboard serves another build than the image holds', async () => {
    const served = path.join(root, 'served');
    const image = path.join(root, 'image');
    writeBuild(served);
    writeBuild(image);
    writeFileSync(path.join(image, 'index.html'), `${INDEX}<!-- newer -->`);
    await expect(withDashboard(served, (api) => checkWebApp(api.baseUrl, image))).rejects.toThrow(
      /GET http:\/\/127\.0\.0\.1:\d+\/ answered an unexpected body/,
    );
  });

  it('fails when / is not the web app (a dashboard without it)', async () => {
    const server: Server = createServer((req, res) => {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dist = path.join(root, 'web', 'dist');
    writeBuild(dist);
    try {
      await expect(checkWebApp(base, dist)).rejects.toThrow(/GET .*\/ answered status 404, not 200/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
