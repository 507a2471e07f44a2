import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { createVenueBreaker, type VenueBreaker } from './circuit-breaker';
import { BreakerOpenError, HttpStatusError, OutcomeUnknownError } from './http-errors';
import { createResilientHttp } from './resilient-http';
import { startTestTracing } from '../testing/test-tracing';

/** A local server that answers from a script of statuses, one per request, then 200. */
function scriptedServer(script: { status: number; headers?: Record<string, string>; reset?: boolean }[]) {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const step = script[requests];
    requests += 1;
    if (step?.reset) {
      req.socket.destroy();
      return;
    }
    res.writeHead(step?.status ?? 200, { 'content-type': 'application/json', ...step?.headers });
    res.end(JSON.stringify({ n: requests }));
  });
  return {
    server,
    requests: () => requests,
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('createResilientHttp', () => {
  let breaker: VenueBreaker;
  let registry: Registry;
  const sleeps: number[] = [];
  beforeEach(() => {
    sleeps.length = 0;
    registry = new Registry();
    breaker = createVenueBreaker({ venue: 'tradier', registry });
  });
  afterEach(() => breaker.shutdown());

  const client = (baseUrl: string) =>
    createResilientHttp({
      venue: 'tradier',
      baseUrl,
      breaker,
      registry,
      random: () => 0.5,
      sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
    });

  it('sends the venue.request span as traceparent while tracing is on, and no trace header when off', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.traceparent as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const http = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const tracing = startTestTracing();
      let spans: ReturnType<typeof tracing.spans>;
      try {
        await http.request({ method: 'GET', path: '/q?key=secret', endpoint: 'quotes' });
        spans = tracing.spans();
      } finally {
        await tracing.stop();
      }
      await http.request({ method: 'GET', path: '/q', endpoint: 'quotes' });
      const [span] = spans;
      expect(span).toMatchObject({ name: 'venue.request' });
      // The venue and the endpoint's label: never the URL with its query string.
      expect(span!.attributes).toEqual({
        'atc.venue': 'tradier',
        'atc.venue.endpoint': 'quotes',
        'http.request.method': 'GET',
        'atc.venue.submission': false,
        'http.response.status_code': 200,
      });
      expect(seen).toEqual([`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`, undefined]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('retries a read on 5xx and 429 (honouring Retry-After) and counts retries and 429s', async () => {
    const fake = scriptedServer([{ status: 503 }, { status: 429, headers: { 'retry-after': '2' } }]);
    const http = client(await fake.listen());
    try {
      const res = await http.requestJson<{ n: number }>({ method: 'GET', path: '/q', endpoint: 'quotes' });
      expect(res.body.n).toBe(3);
      expect(sleeps).toEqual([125, 2_000]);
      const text = await registry.metrics();
      expect(text).toContain('atc_venue_retries_total{venue="tradier",endpoint="quotes"} 2');
      expect(text).toContain('atc_venue_rate_limited_total{venue="tradier",endpoint="quotes"} 1');
      expect(text).toContain('atc_venue_requests_total{venue="tradier",endpoint="quotes",outcome="ok"} 1');
    } finally {
      await fake.close();
    }
  });

  it('gives up after 3 retries (4 attempts) and the 3 consecutive 5xx open the breaker', async () => {
    const fake = scriptedServer([{ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 }]);
    const http = client(await fake.listen());
    try {
      await expect(http.request({ method: 'GET', path: '/q', endpoint: 'quotes' })).rejects.toBeInstanceOf(
        BreakerOpenError,
      );
      // The fourth attempt was refused by the open breaker, so the server saw only three.
      expect(fake.requests()).toBe(3);
      expect(breaker.state).toBe('open');
    } finally {
      await fake.close();
    }
  });

  it('never retries an order submission after a 5xx: the outcome is unknown', async () => {
    const fake = scriptedServer([{ status: 500 }]);
    const http = client(await fake.listen());
    try {
      const error: unknown = await http
        .request({ method: 'POST', path: '/o', endpoint: 'place_order', submission: true })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect(fake.requests()).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it('never retries a submission whose connection was reset after sending', async () => {
    const fake = scriptedServer([{ status: 200, reset: true }]);
    const http = client(await fake.listen());
    try {
      await expect(
        http.request({ method: 'POST', path: '/o', endpoint: 'place_order', submission: true }),
      ).rejects.toBeInstanceOf(OutcomeUnknownError);
      expect(fake.requests()).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it('retries a submission refused with 429, which proves it was not processed', async () => {
    const fake = scriptedServer([{ status: 429, headers: { 'retry-after': '1' } }]);
    const http = client(await fake.listen());
    try {
      const res = await http.request({
        method: 'POST',
        path: '/o',
        endpoint: 'place_order',
        submission: true,
      });
      expect(res.status).toBe(200);
      expect(fake.requests()).toBe(2);
      expect(sleeps).toEqual([1_000]);
    } finally {
      await fake.close();
    }
  });

  it('passes a business rejection through untouched and without retry', async () => {
    const fake = scriptedServer([{ status: 400 }]);
    const http = client(await fake.listen());
    try {
      await expect(
        http.request({ method: 'POST', path: '/o', endpoint: 'place_order', submission: true }),
      ).rejects.toEqual(expect.objectContaining({ status: 400 }));
      expect(fake.requests()).toBe(1);
      expect(breaker.state).toBe('closed');
    } finally {
      await fake.close();
    }
  });

  it('times out an attempt and retries reads after a timeout', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      if (requests === 1) return; // never answers: the client must time out
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const http = createResilientHttp({
      venue: 'tradier',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      breaker,
      timeoutMs: 50,
      sleep: () => Promise.resolve(),
    });
    try {
      const res = await http.request({ method: 'GET', path: '/q', endpoint: 'quotes' });
      expect(res.status).toBe(200);
      expect(requests).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reports HttpStatusError with the body for the client to parse', async () => {
    const fake = scriptedServer([{ status: 404 }]);
    const http = client(await fake.listen());
    try {
      const error = (await http
        .request({ method: 'GET', path: '/q', endpoint: 'quotes' })
        .catch((e: unknown) => e)) as HttpStatusError;
      expect(error).toBeInstanceOf(HttpStatusError);
      expect(error.body).toBe('{"n":1}');
    } finally {
      await fake.close();
    }
  });
});
