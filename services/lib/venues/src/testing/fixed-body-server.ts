/**
 * For the malformed-body tests: a real HTTP server on 127.0.0.1 (port 0) that answers every request
 * with HTTP 200 and the body the route function returns for its path (a string is sent as is, any
 * other value as JSON), and a resilient HTTP client pointed at it. `paths` records what was asked.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createResilientHttp, createVenueBreaker, type ResilientHttp } from '@atc/platform';

export interface FixedBodyServer {
  readonly url: string;
  readonly paths: string[];
  http(venue: string): ResilientHttp;
  close(): Promise<void>;
}

export async function serveBodies(route: (path: string) => unknown): Promise<FixedBodyServer> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      paths.push(path);
      const body = route(path);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const breakers: { shutdown(): void }[] = [];
  return {
    url,
    paths,
    http(venue) {
      const breaker = createVenueBreaker({ venue });
      breakers.push(breaker);
      return createResilientHttp({ venue, baseUrl: url, breaker, sleep: () => Promise.resolve() });
    },
    async close() {
      for (const breaker of breakers) breaker.shutdown();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
