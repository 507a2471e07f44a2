/**
 * A stand-in for the browser's fetch (jsdom has none): routes `METHOD /path` (query string
 * included, or the bare path) to a handler and records every call.
 * @module
 */

interface FakeReply {
  readonly status?: number;
  readonly body: unknown;
  readonly contentType?: string;
}

interface FakeCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

type Handler = (call: FakeCall) => FakeReply;

/** A problem+json reply as the API sends it. */
function problem(status: number, title: string, detail: string): FakeReply {
  return {
    status,
    body: { type: 'https://atc.dev/problems/x', title, status, detail, requestId: 'req-1' },
    contentType: 'application/problem+json',
  };
}

function responseOf(reply: FakeReply): Response {
  const status = reply.status ?? 200;
  const text = JSON.stringify(reply.body);
  const headers = new Map([['content-type', reply.contentType ?? 'application/json']]);
  // The part of Response the API client reads; jsdom has no Response to build.
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
    text: () => Promise.resolve(text),
    json: () => Promise.resolve(JSON.parse(text) as unknown),
  } as unknown as Response;
}

function fakeFetch(routes: Record<string, Handler | FakeReply>) {
  const calls: FakeCall[] = [];
  // The API client passes the path as a string.
  const fetch = (input: string, init: RequestInit = {}): Promise<Response> => {
    const url = input;
    const method = init.method ?? 'GET';
    const call: FakeCall = {
      method,
      url,
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    calls.push(call);
    const route = routes[`${method} ${url}`] ?? routes[`${method} ${url.split('?')[0]}`];
    if (!route) return Promise.resolve(responseOf(problem(404, 'Not found', `no fake for ${method} ${url}`)));
    return Promise.resolve(responseOf(typeof route === 'function' ? route(call) : route));
  };
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

export { type FakeCall, type FakeReply, fakeFetch, problem };
