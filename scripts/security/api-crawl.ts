/**
 * Every GET route of the operator API, read from its OpenAPI document (docs/api/openapi.json, kept
 * true by `npm run api:openapi:check`), called with real ids from the company's database: the
 * answers the redaction test searches. A route added later is crawled without a change here, and
 * a path parameter this file cannot fill fails the test by name.
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { policyKeys } from '@atc/contracts';

export interface ApiAnswer {
  readonly route: string;
  readonly status: number;
  readonly body: string;
}

export interface ApiCrawl {
  readonly answers: readonly ApiAnswer[];
  /** Routes that answered neither 2xx nor a 404 for a well-formed id, or could not be filled. */
  readonly unreached: readonly string[];
}

const OPENAPI = path.join(__dirname, '..', '..', 'docs', 'api', 'openapi.json');
/** The live stream never ends: its first this-many bytes (the replay from `since=0`) are read. */
const STREAM_BYTES = 64 * 1024;
const STREAM_READ_MS = 5_000;

function getRoutes(): string[] {
  const document = JSON.parse(readFileSync(OPENAPI, 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths)
    .filter(([, methods]) => 'get' in methods)
    .map(([route]) => route);
}

async function firstValue(pool: Pool, sql: string): Promise<string> {
  const row = (await pool.query<{ value: string }>(sql)).rows[0];
  // A well-formed id that names nothing: the route still answers (a 404 problem document).
  return row?.value ?? '00000000-0000-4000-8000-000000000000';
}

/** The concrete paths of one route template, each parameter filled from the database. */
async function pathsOf(
  route: string,
  context: { pool: Pool; proposalId: string },
): Promise<string[] | undefined> {
  const { pool } = context;
  const fills: Record<string, () => Promise<string[]>> = {
    '{id}': async () => {
      if (route.startsWith('/api/proposals/')) return [context.proposalId];
      if (route.startsWith('/api/missions/'))
        return [await firstValue(pool, `select id::text as value from atc.missions limit 1`)];
      return [await firstValue(pool, `select id::text as value from atc.conversations limit 1`)];
    },
    '{clientOrderId}': async () => [
      await firstValue(pool, `select client_order_id as value from atc.orders limit 1`),
    ],
    '{market}': () => Promise.resolve(['crypto']),
    '{instrument}': () => Promise.resolve(['SOL']),
    '{agent}': () => Promise.resolve(['atlas']),
    '{key}': () => Promise.resolve([...policyKeys]),
  };
  let paths = [route];
  for (const parameter of route.match(/\{[^}]+\}/g) ?? []) {
    const fill = fills[parameter];
    if (!fill) return undefined;
    const values = await fill();
    paths = paths.flatMap((p) => values.map((value) => p.replace(parameter, encodeURIComponent(value))));
  }
  return paths;
}

/** A DOMException from the fetch's own realm is not always `instanceof Error` under jest: read its name. */
const isDeadline = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  ['TimeoutError', 'AbortError'].includes(String((error as { name?: unknown }).name));

/** The stream's replay from the first event, cut after STREAM_BYTES or STREAM_READ_MS. */
async function readStream(url: string, apiKey: string): Promise<ApiAnswer> {
  let status = 0;
  let body = '';
  const decoder = new TextDecoder();
  try {
    const response = await fetch(`${url}?since=0`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(STREAM_READ_MS),
    });
    status = response.status;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      body += decoder.decode(chunk, { stream: true });
      if (body.length >= STREAM_BYTES) break;
    }
  } catch (error) {
    // The read's deadline ends an idle stream: what arrived until then is the answer.
    if (!isDeadline(error)) throw error;
  }
  return { route: 'GET /api/stream', status, body };
}

export async function crawlApi(options: {
  base: string;
  apiKey: string;
  proposalId: string;
  pool: Pool;
}): Promise<ApiCrawl> {
  const answers: ApiAnswer[] = [];
  const unreached: string[] = [];
  for (const route of getRoutes()) {
    if (route === '/api/stream') {
      const answer = await readStream(`${options.base}${route}`, options.apiKey);
      answers.push(answer);
      if (answer.status !== 200 || !answer.body.includes('data:'))
        unreached.push(`${route} (${answer.status})`);
      continue;
    }
    const paths = await pathsOf(route, options);
    if (!paths) {
      unreached.push(`${route} (a path parameter this crawl cannot fill)`);
      continue;
    }
    for (const concrete of paths) {
      const response = await fetch(`${options.base}${concrete}`, {
        headers: { authorization: `Bearer ${options.apiKey}` },
      });
      answers.push({ route: `GET ${concrete}`, status: response.status, body: await response.text() });
      const expected = response.ok || (response.status === 404 && route.includes('{'));
      if (!expected) unreached.push(`${concrete} (${response.status})`);
    }
  }
  return { answers, unreached };
}
