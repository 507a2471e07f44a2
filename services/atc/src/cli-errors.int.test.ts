import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeScratchDirectory } from '@atc/platform';
import {
  bundleForTest,
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runNode,
  type TestDatabase,
} from '@atc/platform/testing';

// Every mistake a person can make on the command line, run through the real CLI in a real process:
// one clear line on stderr, exit 2 for usage and validation, 1 for runtime failures, and never a
// stack frame unless --debug asks for one.
const STACK_FRAME = /^\s+at .+[(:]/;

interface Case {
  readonly args: readonly string[];
  readonly env?: Record<string, string | undefined>;
  readonly database?: boolean;
  readonly code: number;
  readonly stderr: RegExp;
}

function proposal(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    source: 'operator',
    sourceTraceId: 'cli-errors',
    agent: 'atlas',
    title: 'CLI error test',
    confidence: 0.5,
    steps: [{ kind: 'analyze', topic: 'SOL', details: { note: 'x' } }],
    ...overrides,
  };
}

describe('atc: every error a person can cause is one clear line', () => {
  let db: TestDatabase;
  let scratch: string;
  let bundle: string;
  const files: Record<string, string> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    scratch = makeScratchDirectory('atc-cli-errors-');
    bundle = await bundleForTest(path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts'), REPOSITORY_ROOT);
    const write = (name: string, text: string) => {
      files[name] = path.join(scratch, name);
      writeFileSync(files[name], text);
    };
    write('nul.json', JSON.stringify(proposal({ sourceTraceId: 'nul', title: 'bad \u0000 title' })));
    write('surrogate.json', JSON.stringify(proposal({ sourceTraceId: 'surrogate', title: 'bad \ud800' })));
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    write(
      'deep.json',
      JSON.stringify(
        proposal({ sourceTraceId: 'deep', steps: [{ kind: 'analyze', topic: 'x', details: {} }] }),
      ).replace('"details":{}', `"details":${deep}`),
    );
    write('huge.json', JSON.stringify(proposal({ sourceTraceId: 'huge', rationale: 'x'.repeat(200_000) })));
    write('not-json.json', '{ this is not json');
    write('policy-nul.json', JSON.stringify({ maxDailyTrades: 5, note: 'a\u0000b' }));
  }, 120_000);
  afterAll(async () => {
    await db.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function atc(test: Case) {
    const env = childEnvironment({
      ATC_HOME: path.join(scratch, 'home'),
      LOG_LEVEL: 'warn',
      ...(test.database ? { DATABASE_URL: db.url } : {}),
      ...test.env,
    });
    const run = runNode([bundle, ...test.args], env);
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  }

  const usage = (args: string[], stderr: RegExp, database = false): Case => ({
    args,
    code: 2,
    stderr,
    database,
  });
  const cases: Case[] = [
    usage(['status', '--bogus'], /^atc: unknown option --bogus; usage: atc status/),
    usage(['status', '-z'], /^atc: unknown option -z;/),
    usage(['status', 'now', 'please'], /^atc: unexpected arguments "now" "please"; usage: atc status/),
    usage(['proposal', 'list', '--status'], /^atc: --status needs a value/),
    usage(['proposal', 'list', '--status', 'nonsense'], /^atc: --status must be one of /, true),
    usage(
      ['migrate', 'up', '--to', '-1'],
      /^atc: --to "-1": a value that starts with "-" must be written --to=-1/,
    ),
    usage(['migrate', 'up', '--to=-1'], /^atc: --to must be a migration number, got "-1"/),
    usage(['migrate', 'down'], /^atc: migrate down needs --to N/),
    usage(['migrate', 'sideways'], /^atc: unknown subcommand "sideways"/),
    usage(['sim', '--seed', '-1.5'], /^atc: --seed "-1.5": a value that starts with "-"/),
    usage(['sim', '--seed=-1.5'], /^atc: --seed must be an integer/),
    usage(['sim', '--port', '70000'], /^atc: --port must be an integer from 0 to 65535/),
    usage(['proposal', 'show', 'not-a-uuid'], /^atc: ID must be a proposal id, a UUID .*; got "not-a-uuid"/),
    usage(['proposal', 'approve', "1'; drop table atc.proposals; --"], /^atc: ID must be a proposal id/),
    usage(['proposal', 'reject', '00000000-0000-4000-8000-000000000000'], /^atc: reject needs --reason R/),
    usage(['proposal', 'show'], /^atc: missing ID; usage: atc proposal show ID/),
    usage(['proposal', 'explain', 'not-a-uuid'], /^atc: ID must be a proposal id/),
    usage(
      ['policy', 'get', 'risk.limits'],
      /^atc: unknown policy key "risk.limits"; valid keys: calendar, trade_limits/,
    ),
    usage(['kill-switch', 'on', '--reason', 'x', '--market', 'bonds'], /^atc: --market must be one of/),
    usage(['worker', 'bogus'], /^atc: MARKET must be one of crypto, options, futures, roundtable/),
    usage(['dashboard', 'extra'], /^atc: unexpected argument "extra"/),
    usage(['frobnicate'], /^atc: unknown command "frobnicate"/),
    usage(['--bogus'], /^atc: unknown option --bogus/),
    usage(['heartbeat', '--loop=yes'], /^atc: --loop takes no value/),
    usage(['kill-switch'], /^atc: atc kill-switch needs a subcommand; usage: /),
    usage(['audit', 'verify', 'extra'], /^atc: unexpected argument "extra"; usage: atc audit verify/),
    usage(['seed', '--force'], /^atc: unknown option --force; usage: atc seed/),
    usage(['up', '--json'], /^atc: unknown option --json; usage: atc up/),
    usage(['reconcile', 'now'], /^atc: unexpected argument "now"/),
    usage(['migrate', 'snapshot'], /^atc: migrate snapshot needs --out FILE or --check FILE/),
    usage(['policy', 'set', 'trade_limits'], /^atc: this command needs -f FILE/, true),
    usage(['proposal', 'submit'], /^atc: this command needs -f FILE/, true),
    usage(
      ['proposal', 'submit', '-f', '/nonexistent/p.json'],
      /^atc: cannot read JSON from \/nonexistent/,
      true,
    ),
    {
      args: ['proposal', 'show', '00000000-0000-4000-8000-000000000000'],
      database: true,
      code: 1,
      stderr: /^atc: proposal 00000000-0000-4000-8000-000000000000 does not exist$/,
    },
    {
      args: ['proposal', 'approve', '00000000-0000-4000-8000-000000000000'],
      database: true,
      code: 1,
      stderr: /^atc: proposal 00000000-0000-4000-8000-000000000000 does not exist$/,
    },
    {
      args: ['heartbeat'],
      code: 1,
      stderr: /^atc: invalid configuration:\n {2}- DATABASE_URL: is required \(no local company is running/,
    },
    {
      args: ['status'],
      env: { DATABASE_URL: 'postgres://atc:hunter2@127.0.0.1:1/x' },
      code: 1,
      stderr:
        /^atc: cannot connect to PostgreSQL at postgres:\/\/\[redacted\]@127\.0\.0\.1:1\/x: .*ECONNREFUSED/,
    },
    {
      args: ['status'],
      env: { DB_POOL_MAX: '-1' },
      database: true,
      code: 1,
      stderr: /^atc: invalid configuration:\n {2}- DB_POOL_MAX: must be at least 1$/,
    },
    { args: ['status'], env: { DB_SSL: 'sometimes' }, database: true, code: 1, stderr: /DB_SSL: must be/ },
  ];

  it.each(
    cases.map((c) => {
      const env = Object.entries(c.env ?? {}).map(([key, value]) => `${key}=${value ?? ''} `);
      return [`${env.join('')}atc ${c.args.join(' ')}`, c] as const;
    }),
  )('%s', async (_name, test) => {
    const result = await atc(test);
    const lines = `${result.stdout}${result.stderr}`.split('\n');
    expect(lines.filter((line) => STACK_FRAME.test(line))).toEqual([]);
    expect(result.stderr.trimEnd()).toMatch(test.stderr);
    expect(result.stderr).not.toMatch(/hunter2/);
    expect(result.code).toBe(test.code);
    if (test.code === 2) expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    ['nul.json', /^atc: invalid proposal: title: contains a NUL character/],
    ['surrogate.json', /^atc: invalid proposal: title: contains a lone UTF-16 surrogate/],
    ['deep.json', /^atc: invalid proposal: steps\.0\.details(\.a)+: is nested deeper than 32 levels$/],
    ['huge.json', /^atc: invalid proposal: rationale: is longer than 100000 characters$/],
    ['not-json.json', /^atc: cannot read JSON from .*not-json\.json/],
  ])('atc proposal submit -f %s is refused before the database with the field path', async (file, stderr) => {
    const result = await atc({
      args: ['proposal', 'submit', '-f', files[file]!],
      database: true,
      code: 2,
      stderr,
    });
    expect(result.stderr.split('\n').filter((line) => STACK_FRAME.test(line))).toEqual([]);
    expect(result.stderr.trimEnd()).toMatch(stderr);
    expect(result.code).toBe(2);
    const { rows } = await db.pool.query<{ count: string }>(
      'select count(*)::text as count from atc.proposals',
    );
    expect(rows[0]!.count).toBe('0');
  });

  it('atc policy set refuses a NUL character with its path', async () => {
    const result = await atc({
      args: ['policy', 'set', 'trade_limits', '-f', files['policy-nul.json']!],
      database: true,
      code: 2,
      stderr: /./,
    });
    expect(result.stderr.trimEnd()).toBe(
      'atc: invalid policy "trade_limits": note: contains a NUL character (\\u0000)',
    );
    expect(result.code).toBe(2);
  });

  it('shows the stack with --debug, and only then (so the check above can fail)', async () => {
    const env = { DATABASE_URL: 'postgres://atc@127.0.0.1:1/x' };
    const debug = await atc({ args: ['status', '--debug'], env, code: 1, stderr: /./ });
    expect(debug.stderr.split('\n').some((line) => STACK_FRAME.test(line))).toBe(true);
    const level = await atc({ args: ['status'], env: { ...env, LOG_LEVEL: 'debug' }, code: 1, stderr: /./ });
    expect(level.stderr.split('\n').some((line) => STACK_FRAME.test(line))).toBe(true);
  });
});
