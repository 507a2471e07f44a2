/**
 * The bad requests of the route fuzz test, generated from a route's own declaration: wrong types,
 * huge and negative numbers, unknown keys, 1 MB bodies, broken JSON, wrong content types, SQL- and
 * path-like strings, NUL and lone surrogates — in params, query and body. A mutation of a field is
 * kept only when the route's schema (or the JSON limits every input is held to) refuses it, so every
 * case is a request the API must refuse, and the field at fault is known.
 * @module
 */
import { seededRandom } from '@atc/trading';
import { z } from 'zod';
import { findUnsafeJson } from '@atc/contracts';
import type { ApiRoute } from '../api-route';

export interface FuzzCase {
  readonly description: string;
  readonly method: string;
  /** The raw request target (path and query), sent as is: no URL normalisation. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** The statuses that are a correct refusal, and the field errors[] must name (when one is at fault). */
  readonly expect: { readonly statuses: readonly number[]; readonly field?: string };
}

/** Valid params/query/body of a route, to mutate one field at a time (deep paths like body.trades.0.amount). */
export interface RouteExample {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const SQL_AND_PATHS = [
  "' or '1'='1",
  '1; drop table atc.proposals; --',
  "' union select * from atc.api_keys --",
  '../../../../etc/passwd',
  '..',
  '%2e%2e%2f%2e%2e%2f',
  '/api/../admin',
  'C:\\Windows\\System32',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
];
const ODD_STRINGS = [
  '',
  ' ',
  'null',
  'undefined',
  'NaN',
  'true',
  '-1',
  '1e308',
  '99999999999999999999999',
  '0x1F',
  '１２３',
  'a'.repeat(5000),
  'nul\u0000byte',
  'lone\ud800surrogate',
];
const NUMBERS = [-1, -1e9, 0, 1.5, 1e308, -1e308, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER * 10];
const OTHER_JSON: readonly unknown[] = [true, false, null, [], {}, [1, 2], { zz_unknown: 1 }, [[[[[[]]]]]]];

function encodable(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

const ALL_STRINGS = [...SQL_AND_PATHS, ...ODD_STRINGS, ...NUMBERS.map(String)];
/**
 * Every bad string a param or query value can carry (a lone surrogate cannot be percent-encoded;
 * undecodable encodings are cases of their own).
 */
export const BAD_STRINGS: readonly string[] = ALL_STRINGS.filter(encodable);
/** Every bad JSON value a body field can carry. */
export const BAD_VALUES: readonly unknown[] = [...ALL_STRINGS, ...NUMBERS, ...OTHER_JSON];

const BROKEN_JSON = [
  '{',
  '{"a":',
  'nul',
  "{'a':1}",
  '[1,2',
  '{"a":1,}',
  '{"a":1}}',
  '\u0000',
  'undefined',
  '{"a":NaN}',
];
const WRONG_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/html',
];

type Part = 'params' | 'query' | 'body';

/** The paths (`body.trades.0.amount`) at which the stack must refuse `value`, or [] when it is valid. */
export function refusedPaths(part: Part, schema: z.ZodType | undefined, value: unknown): string[] {
  const unsafe = findUnsafeJson(value);
  if (unsafe) return [[part, ...unsafe.path.map(String)].join('.')];
  if (schema === undefined)
    return typeof value === 'object' && value !== null && Object.keys(value).length === 0 ? [] : [part];
  const parsed = schema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => [part, ...issue.path.map(String), key].join('.'))
      : [[part, ...issue.path.map(String)].join('.')],
  );
}

function shapeKeys(schema: z.ZodType | undefined): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** Every leaf path of a JSON value, and every object in it (to add an unknown key to). */
function leaves(
  value: unknown,
  path: (string | number)[] = [],
): { leaves: (string | number)[][]; objects: (string | number)[][] } {
  if (Array.isArray(value)) {
    const inner = value.map((item, index) => leaves(item, [...path, index]));
    return { leaves: inner.flatMap((i) => i.leaves), objects: inner.flatMap((i) => i.objects) };
  }
  if (typeof value === 'object' && value !== null) {
    const inner = Object.entries(value).map(([key, item]) => leaves(item, [...path, key]));
    return { leaves: inner.flatMap((i) => i.leaves), objects: [path, ...inner.flatMap((i) => i.objects)] };
  }
  return { leaves: [path], objects: [] };
}

function setAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  copy[head] = setAt(copy[head], rest, replacement);
  return copy;
}

/** The seeded PRNG (mulberry32) of @atc/trading, so a failing case can be reproduced from its seed. */
export const randomSource = seededRandom;

export interface CaseBuilderInput {
  readonly route: ApiRoute;
  readonly example: RouteExample;
  readonly credentials: Readonly<Record<string, string>>;
}

/** Builds the request of one case from the example with one part replaced. */
export function buildCase(
  input: CaseBuilderInput,
  description: string,
  parts: { params?: Record<string, string>; query?: string; body?: Buffer | null; contentType?: string },
  expect: FuzzCase['expect'],
): FuzzCase {
  const { route, example } = input;
  const params = parts.params ?? defaultParams(route, example);
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) =>
    encodeURIComponent(params[name] ?? 'fuzz'),
  );
  const query = parts.query ?? encodeQuery(example.query ?? {});
  const body = parts.body === null ? undefined : (parts.body ?? defaultBody(route, example));
  const headers: Record<string, string> = { ...input.credentials };
  if (body !== undefined) headers['content-type'] = parts.contentType ?? 'application/json';
  return {
    description,
    method: route.method,
    target: query ? `${path}?${query}` : path,
    headers,
    ...(body ? { body } : {}),
    expect,
  };
}

function defaultParams(route: ApiRoute, example: RouteExample): Record<string, string> {
  const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  return Object.fromEntries(names.map((name) => [name, example.params?.[name] ?? 'fuzz']));
}

function defaultBody(route: ApiRoute, example: RouteExample): Buffer | undefined {
  if (route.body === undefined) return undefined;
  return Buffer.from(JSON.stringify(example.body ?? {}));
}

export function encodeQuery(query: Readonly<Record<string, string | readonly string[]>>): string {
  return Object.entries(query)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (v: string) => `${encodeURIComponent(key)}=${encodeURIComponent(v)}`,
      ),
    )
    .join('&');
}

export { leaves, setAt, shapeKeys, BROKEN_JSON, WRONG_TYPES };
