/**
 * The one way the web app talks to the operator API: `fetch` with `Authorization: Bearer <key>`,
 * JSON in and out, every answer parsed by its `@atc/contracts` schema, and every failure an
 * {@link ApiError} carrying the RFC 9457 problem's title, detail and invalid fields.
 * @module
 */
import { ProblemDetails } from '@atc/contracts';

/** What the client needs of a response schema (a zod schema from @atc/contracts fits). */
interface Schema<T> {
  parse(value: unknown): T;
}

interface ProblemField {
  readonly path: string;
  readonly message: string;
}

/** A failed API call: the problem the server answered, or a status 0 problem when it never answered. */
class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: readonly ProblemField[];
  readonly requestId: string | undefined;

  constructor(problem: {
    status: number;
    title: string;
    detail?: string | undefined;
    errors?: readonly ProblemField[] | undefined;
    requestId?: string | undefined;
  }) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.requestId = problem.requestId;
  }
}

interface ApiClient {
  get<T>(path: string, schema: Schema<T>, signal?: AbortSignal): Promise<T>;
  /** `body` undefined sends no body (some routes, POST /api/stream-tickets, refuse one). */
  post<T>(path: string, body: unknown, schema: Schema<T>): Promise<T>;
}

interface ApiClientOptions {
  /** The signed-in key, read at each call (sign out takes effect at once). */
  readonly key: () => string | null;
  readonly fetch?: typeof fetch;
  /** Called when the API answers 401: the key was revoked or expired. */
  readonly onUnauthorized?: () => void;
}

async function problemOf(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text().catch(() => '');
  if (type.includes('json')) {
    try {
      const problem = ProblemDetails.safeParse(JSON.parse(text));
      if (problem.success) return new ApiError(problem.data);
    } catch {
      // Not JSON after all: fall through to the status line.
    }
  }
  return new ApiError({
    status: response.status,
    title: response.statusText || `HTTP ${response.status}`,
    detail: text.slice(0, 300) || undefined,
  });
}

function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function call<T>(method: string, path: string, schema: Schema<T>, init: RequestInit): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const key = options.key();
    if (key) headers.Authorization = `Bearer ${key}`;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(path, { ...init, method, headers });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError({
        status: 0,
        title: 'The API did not answer',
        detail: err instanceof Error ? err.message : String(err),
      });
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      if (response.status === 401) options.onUnauthorized?.();
      throw problem;
    }
    const body: unknown = await response.json();
    return schema.parse(body);
  }

  return {
    get: (path, schema, signal) => call('GET', path, schema, signal ? { signal } : {}),
    post: (path, body, schema) =>
      call('POST', path, schema, body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** `?a=1&b=x` from the defined values of `params` (empty string when there are none). */
function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export { ApiError, type ApiClient, type ApiClientOptions, createApiClient, queryString, type Schema };
