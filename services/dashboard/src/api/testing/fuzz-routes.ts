/**
 * The route fuzz test, generic over any list of routes: for every route at least 200 requests it
 * must refuse (see fuzz-cases.ts), sent over real HTTP to a running app, each answer checked — a
 * 4xx (never ≥ 500), `application/problem+json`, `errors[]` naming the field at fault, no stack
 * trace — and nothing written: the row count of every atc.* table is the same before and after.
 * The app must run with a rate limit above the number of requests (the fuzz is one client).
 * @module
 */
import { Agent, request } from 'node:http';
import { ProblemDetails } from '@atc/contracts';
import type { Pool } from '@atc/platform';
import type { ApiRoute } from '../api-route';
import { TICKET_PARAMETER } from '../http/route-input';
import {
  BAD_STRINGS,
  BAD_VALUES,
  BROKEN_JSON,
  buildCase,
  type CaseBuilderInput,
  encodeQuery,
  type FuzzCase,
  leaves,
  randomSource,
  refusedPaths,
  type RouteExample,
  setAt,
  shapeKeys,
  WRONG_TYPES,
} from './fuzz-cases';

export interface FuzzRoutesOptions {
  readonly baseUrl: string;
  readonly routes: readonly ApiRoute[];
  readonly pool: Pool;
  /** Headers that authenticate a caller allowed on the route, so requests reach validation. */
  credentialsFor(route: ApiRoute): Readonly<Record<string, string>>;
  /** A valid request of the route, mutated one field at a time; without one, fields mutate from {}. */
  exampleFor?(route: ApiRoute): RouteExample | undefined;
  readonly minimumPerRoute?: number;
  readonly seed?: number;
}

export interface FuzzReport {
  readonly casesByRoute: ReadonlyMap<string, number>;
  /** One line per wrong answer (route, case, what was wrong); empty when the API held. */
  readonly failures: readonly string[];
  /** `table: before → after` for every atc.* table whose row count changed. */
  readonly rowCountChanges: readonly string[];
}

/** Raw percent-encodings that are not UTF-8: the router cannot decode them. */
const UNDECODABLE = ['%ED%A0%80', '%E0%A4%A', '%', '%zz'];
const ONE_MEGABYTE = 1024 * 1024;

function related(path: string, field: string): boolean {
  return (
    path === field || path.startsWith(`${field}.`) || (field.startsWith(`${path}.`) && path.includes('.'))
  );
}

function fieldFor(paths: readonly string[], field: string): string | undefined {
  return paths.some((path) => related(path, field)) ? field : undefined;
}

function bodyCases(input: CaseBuilderInput): FuzzCase[] {
  const { route } = input;
  const takesBody = route.body !== undefined;
  const refused = (description: string, body: Buffer, contentType?: string, status = 400, field = 'body') =>
    buildCase(
      input,
      description,
      { body, ...(contentType ? { contentType } : {}) },
      { statuses: [status], field },
    );
  const cases = BROKEN_JSON.map((text) => refused(`broken JSON ${JSON.stringify(text)}`, Buffer.from(text)));
  for (const type of WRONG_TYPES) {
    const body = Buffer.from('{"a":1}');
    cases.push(
      takesBody
        ? refused(`content type ${type}`, body, type, 415, 'headers.content-type')
        : refused(`body with content type ${type}`, body, type),
    );
  }
  const huge = Buffer.from(JSON.stringify({ padding: 'x'.repeat(ONE_MEGABYTE) }));
  cases.push(refused('1 MB JSON body', huge, undefined, 413));
  cases.push(refused('1 MB binary body', Buffer.alloc(ONE_MEGABYTE, 0xff), 'application/octet-stream', 413));
  for (const value of BAD_VALUES) {
    const paths = refusedPaths('body', route.body, value);
    if (paths.length === 0) continue;
    cases.push(
      refused(
        `body ${JSON.stringify(value).slice(0, 40)}`,
        Buffer.from(JSON.stringify(value)),
        undefined,
        400,
        fieldFor(paths, 'body') ?? 'body',
      ),
    );
  }
  return cases;
}

function paramCases(input: CaseBuilderInput): FuzzCase[] {
  const { route, example } = input;
  const cases: FuzzCase[] = [];
  const params = { ...(example.params ?? {}) };
  for (const name of [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!)) {
    for (const bad of BAD_STRINGS) {
      const mutated = { ...params, [name]: bad };
      const paths = refusedPaths('params', route.params, route.params ? mutated : {});
      if (bad === '' || paths.length === 0) continue;
      const field = fieldFor(paths, `params.${name}`);
      cases.push(
        buildCase(
          input,
          `param ${name}=${bad.slice(0, 40)}`,
          { params: mutated },
          { statuses: [400], ...(field ? { field } : {}) },
        ),
      );
    }
    for (const raw of UNDECODABLE) {
      const fuzzCase = buildCase(
        input,
        `param ${name} undecodable ${raw}`,
        { params },
        { statuses: [400], field: 'params' },
      );
      cases.push({
        ...fuzzCase,
        target: fuzzCase.target.replace(encodeURIComponent(params[name] ?? 'fuzz'), raw),
      });
    }
  }
  return cases;
}

function queryCases(input: CaseBuilderInput): FuzzCase[] {
  const { route, example } = input;
  const cases: FuzzCase[] = [];
  const query = { ...(example.query ?? {}) };
  for (const key of new Set([...shapeKeys(route.query), ...Object.keys(query)])) {
    for (const bad of [...BAD_STRINGS, ['1', '2']]) {
      const mutated = { ...query, [key]: bad };
      const paths = refusedPaths('query', route.query, mutated);
      if (paths.length === 0) continue;
      const field = fieldFor(paths, `query.${key}`);
      cases.push(
        buildCase(
          input,
          `query ${key}=${String(bad).slice(0, 40)}`,
          { query: encodeQuery(mutated) },
          // A stream ticket is a credential: the stack checks it before the input (401, no field).
          key === TICKET_PARAMETER && route.access === 'stream.connect'
            ? { statuses: [401] }
            : { statuses: [400], ...(field ? { field } : {}) },
        ),
      );
    }
  }
  return cases;
}

function bodyFieldCases(input: CaseBuilderInput): FuzzCase[] {
  const { route, example } = input;
  const cases: FuzzCase[] = [];
  const body = example.body ?? {};
  const found =
    example.body === undefined
      ? { leaves: shapeKeys(route.body).map((key) => [key]), objects: [[]] }
      : leaves(body);
  for (const leaf of route.body ? found.leaves : []) {
    for (const bad of BAD_VALUES) {
      const mutated = setAt(body, leaf, bad);
      const paths = refusedPaths('body', route.body, mutated);
      if (paths.length === 0) continue;
      const field = fieldFor(paths, ['body', ...leaf].join('.'));
      cases.push(
        buildCase(
          input,
          `body.${leaf.join('.')}=${JSON.stringify(bad).slice(0, 40)}`,
          { body: Buffer.from(JSON.stringify(mutated)) },
          { statuses: [400], ...(field ? { field } : {}) },
        ),
      );
    }
  }
  for (const object of route.body ? found.objects : []) {
    const mutated = setAt(body, [...object, 'zz_unknown'], 1);
    const field = ['body', ...object, 'zz_unknown'].join('.');
    cases.push(
      buildCase(
        input,
        `unknown key ${field}`,
        { body: Buffer.from(JSON.stringify(mutated)) },
        { statuses: [400], field },
      ),
    );
  }
  return cases;
}

function fieldCases(input: CaseBuilderInput): FuzzCase[] {
  return [...paramCases(input), ...queryCases(input), ...bodyFieldCases(input)];
}

/** Unknown query keys (always refused) with random bad values, until the route has `minimum` cases. */
function fillCases(input: CaseBuilderInput, count: number, seed: number): FuzzCase[] {
  const random = randomSource(seed);
  const query = input.example.query ?? {};
  return Array.from({ length: count }, (_unused, index) => {
    const key = `zz_${index}_${Math.floor(random() * 1e6)}`;
    const value = BAD_STRINGS[Math.floor(random() * BAD_STRINGS.length)]!;
    const target = encodeQuery({ ...query, [key]: value });
    return buildCase(
      input,
      `unknown query key ${key}`,
      { query: target },
      { statuses: [400], field: `query.${key}` },
    );
  });
}

/** Every case of one route: at least `minimum`. */
export function fuzzCasesFor(input: CaseBuilderInput, minimum: number, seed: number): FuzzCase[] {
  const cases = [...bodyCases(input), ...fieldCases(input)];
  return [...cases, ...fillCases(input, Math.max(25, minimum - cases.length), seed)];
}

function send(
  baseUrl: string,
  agent: Agent,
  fuzzCase: FuzzCase,
): Promise<{ status: number; type: string; text: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: fuzzCase.method,
        path: fuzzCase.target,
        agent,
        headers: {
          ...fuzzCase.headers,
          ...(fuzzCase.body ? { 'content-length': String(fuzzCase.body.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(fuzzCase.body);
  });
}

const STACK_TRACE = /\n\s+at |\bat .+:\d+:\d+|\.(ts|js):\d+|node_modules/;

/** What is wrong with the answer to `fuzzCase`, or undefined when it is a correct refusal. */
export function judgeAnswer(
  fuzzCase: FuzzCase,
  answer: { status: number; type: string; text: string },
): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (!fuzzCase.expect.statuses.includes(answer.status))
    return `answered ${answer.status}, expected ${fuzzCase.expect.statuses.join('|')}`;
  if (!answer.type.startsWith('application/problem+json')) return `content type ${answer.type}`;
  if (STACK_TRACE.test(answer.text)) return 'a stack trace in the body';
  let parsed: ProblemDetails;
  try {
    parsed = ProblemDetails.parse(JSON.parse(answer.text));
  } catch {
    return `not a problem document: ${answer.text.slice(0, 200)}`;
  }
  if (parsed.status !== answer.status) return `problem status ${parsed.status} ≠ ${answer.status}`;
  const field = fuzzCase.expect.field;
  if (field !== undefined && !(parsed.errors ?? []).some((error) => related(error.path, field))) {
    return `errors[] does not name ${field}: ${JSON.stringify(parsed.errors ?? [])}`;
  }
  return undefined;
}

async function rowCounts(pool: Pool): Promise<Map<string, number>> {
  // query_to_xml runs one count(*) per table server-side; format('%I') quotes the identifiers.
  const { rows } = await pool.query<{ name: string; count: string }>(
    `select table_name as name,
            (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', table_schema, table_name), false, true, '')))[1]::text as count
       from information_schema.tables
      where table_schema = 'atc' and table_type = 'BASE TABLE'`,
  );
  return new Map(rows.map((row) => [row.name, Number(row.count)]));
}

export async function fuzzRoutes(options: FuzzRoutesOptions): Promise<FuzzReport> {
  const before = await rowCounts(options.pool);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const casesByRoute = new Map<string, number>();
  const failures: string[] = [];
  try {
    for (const [index, route] of options.routes.entries()) {
      const input = {
        route,
        example: options.exampleFor?.(route) ?? {},
        credentials: options.credentialsFor(route),
      };
      const cases = fuzzCasesFor(input, options.minimumPerRoute ?? 200, (options.seed ?? 1) + index);
      casesByRoute.set(`${route.method} ${route.path}`, cases.length);
      for (const fuzzCase of cases) {
        const problem = judgeAnswer(fuzzCase, await send(options.baseUrl, agent, fuzzCase));
        if (problem) failures.push(`${route.method} ${route.path} — ${fuzzCase.description}: ${problem}`);
      }
    }
  } finally {
    agent.destroy();
  }
  const after = await rowCounts(options.pool);
  const rowCountChanges = [...after]
    .filter(([table, count]) => before.get(table) !== count)
    .map(([table, count]) => `${table}: ${before.get(table) ?? 'absent'} → ${count}`);
  return { casesByRoute, failures, rowCountChanges };
}
