import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '@atc/platform';
import { runHealth } from './health.command';

describe('atc health', () => {
  let status = 200;
  let answer = true;
  let server: Server;
  let port: number;
  let printed: string[];
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      // A hung role: the request is left open, so only the probe's own deadline can end it.
      if (!answer) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"status":"x"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    status = 200;
    answer = true;
    printed = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('probes /health/ready on ADMIN_PORT by default and exits 0 on 200', async () => {
    await expect(runHealth({ url: undefined, env: { ADMIN_PORT: String(port) } })).resolves.toBe(0);
    expect(paths.at(-1)).toBe('/health/ready');
    expect(printed.join('')).toContain(`http://127.0.0.1:${port}/health/ready 200`);
  });

  it('exits 1 when the role answers 503 (not ready, or draining)', async () => {
    status = 503;
    await expect(runHealth({ url: `http://127.0.0.1:${port}/health/ready`, env: {} })).resolves.toBe(1);
    expect(printed.join('')).toContain(' 503 {"status":"x"}');
  });

  it('exits 1 when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(runHealth({ url: undefined, env: { ADMIN_PORT: String(freePort) } })).resolves.toBe(1);
    expect(printed.join('')).toContain('unreachable');
  });

  it('exits 1 when the role does not answer within HEALTH_TIMEOUT_MS', async () => {
    answer = false;
    const env = { ADMIN_PORT: String(port), HEALTH_TIMEOUT_MS: '100' };
    await expect(runHealth({ url: undefined, env })).resolves.toBe(1);
    expect(printed.join('')).toContain('unreachable');
  });

  it('refuses a URL that is not http(s) as a usage error', async () => {
    await expect(runHealth({ url: 'file:///etc/passwd', env: {} })).rejects.toBeInstanceOf(InputError);
    await expect(runHealth({ url: 'not a url', env: {} })).rejects.toBeInstanceOf(InputError);
  });
});
