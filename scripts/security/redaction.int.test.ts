/**
 * Redaction, end to end on real servers (docs/operations/security.md): `atc up` (every role a real
 * process, the venue simulator's wire formats) with every secret it reads set to a canary, a real
 * PostgreSQL login whose password is one, an API key and a JWT signed with the canary secret, one
 * crypto trade from proposal to position, a heartbeat through `POST /api/heartbeat` — then every
 * line any role printed, every row of every table, every GET route of the API (from its OpenAPI
 * document), every role's /metrics and /health/ready, and the answers and logs of the operator's
 * commands (`atc status`, `apikey list`, …) are searched for each canary: none may appear.
 * The API key is searched for too, and its stored form must be its SHA-256 only.
 * @module
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { Pool } from 'pg';
import { makeScratchDirectory } from '@atc/platform';
import { bundleForTest, createTestDatabase, REPOSITORY_ROOT, type TestDatabase } from '@atc/platform/testing';
import { DatabaseChanges } from '@atc/queue/testing';
import { chooseCompanyPorts, LocalCompany } from '../monitoring/local-company';
import {
  madeSecret,
  scanTables,
  scanText,
  textCanary,
  walletCanary,
  type Canary,
  type Leak,
} from './canaries';
import { crawlApi } from './api-crawl';

const SECRET_VARIABLES = [
  'HEARTBEAT_TOKEN',
  'HEARTBEAT_TOKEN_PREVIOUS',
  'AUTH_JWT_SECRET',
  'JUPITER_API_KEY',
  'TRADIER_ACCESS_TOKEN',
  'NEBULA_WEBHOOK_KEY',
  'PROJECTX_API_KEY',
  'ANTHROPIC_API_KEY',
] as const;
const JWT = { issuer: 'atc-redaction-test', audience: 'atc' };
const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const SOL = 'So11111111111111111111111111111111111111112';
const TRADE_DEADLINE_MS = 60_000;

const texts = SECRET_VARIABLES.map((name) => textCanary(name));
const wallet = walletCanary('SOLANA_WALLET_SECRET');
const databasePassword = textCanary('DATABASE_PASSWORD');
const canaries: Canary[] = [...texts, wallet, databasePassword];
const valueOf = (name: string) => canaries.find((canary) => canary.name === name)!.value;

describe('redaction: no secret in any log line, row or API answer', () => {
  const home = makeScratchDirectory('atc-redaction-');
  const lines: string[] = [];
  let db: TestDatabase;
  let loginRole: string;
  let company: LocalCompany | undefined;
  let changes: DatabaseChanges | undefined;
  let pool: Pool | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    // A login of its own whose password is a canary: the company's DATABASE_URL carries it.
    loginRole = `atc_redaction_${db.name.slice(-12)}`;
    const ddl = await db.pool.query<{ sql: string }>(
      `select format('create role %I login superuser password %L', $1::text, $2::text) as sql`,
      [loginRole, databasePassword.value],
    );
    await db.pool.query(ddl.rows[0]!.sql);
    const url = new URL(db.url);
    url.username = loginRole;
    url.password = databasePassword.value;
    const bundle = await bundleForTest(
      path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts'),
      REPOSITORY_ROOT,
    );
    company = await LocalCompany.start({
      bundle,
      home: path.join(home, '.atc'),
      ports: await chooseCompanyPorts(),
      settings: {
        ...Object.fromEntries(texts.map((canary) => [canary.name, canary.value])),
        SOLANA_WALLET_SECRET: wallet.value,
        DATABASE_URL: url.href,
        AUTH_JWT_ISSUER: JWT.issuer,
        AUTH_JWT_AUDIENCE: JWT.audience,
        HEARTBEAT_INTERVAL_SECONDS: '2',
        // Everything a role can say, said: the strictest test of the redaction.
        LOG_LEVEL: 'debug',
      },
      onOutput: (line) => lines.push(line),
    });
    pool = new Pool({ connectionString: url.href, max: 2 });
    changes = await DatabaseChanges.listen(url.href);
  }, 180_000);

  afterAll(async () => {
    await changes?.close();
    await pool?.end();
    await company?.stop();
    await db.drop();
    // The login outlives its database: drop it through the server's maintenance database.
    const server = new URL(db.url);
    server.pathname = '/postgres';
    const admin = new Pool({ connectionString: server.href, max: 1 });
    try {
      const ddl = await admin.query<{ sql: string }>(
        `select format('drop role if exists %I', $1::text) as sql`,
        [loginRole],
      );
      await admin.query(ddl.rows[0]!.sql);
    } finally {
      await admin.end();
    }
    rmSync(home, { recursive: true, force: true });
  }, 60_000);

  const dashboard = () => `http://127.0.0.1:${company!.ports.dashboard}`;

  it('trades, and no canary appears in any log line, table row, API answer, metric or health answer', async () => {
    const leaks: Leak[] = [];
    // An admin API key, printed once by the CLI (its stdout is the answer; its stderr a log).
    const created = await company!.atc(['apikey', 'create', '--name', 'redaction-admin', '--role', 'admin']);
    expect(created.code).toBe(0);
    const apiKey = created.stdout.trim();
    expect(apiKey).toMatch(/^atc_/);
    leaks.push(...scanText(created.stderr, 'atc apikey create stderr', canaries));
    const secrets = [...canaries, madeSecret('API key', apiKey)];
    const jwt = await new SignJWT({ atc_role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('redaction-jwt')
      .setIssuer(JWT.issuer)
      .setAudience(JWT.audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(valueOf('AUTH_JWT_SECRET')));

    // The heartbeat through the API with the canary token (a run, or 409 while the loop holds the lease).
    const beat = await fetch(`${dashboard()}/api/heartbeat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${valueOf('HEARTBEAT_TOKEN')}` },
    });
    expect([200, 202, 409]).toContain(beat.status);
    leaks.push(...scanText(await beat.text(), 'POST /api/heartbeat', secrets));

    // One crypto trade, proposal to position, once the heartbeat has priced SOL and USDC.
    await changes!.until(
      'the heartbeat has sampled crypto prices',
      async () =>
        (await pool!.query(`select 1 from atc.price_samples where market = 'crypto' limit 1`)).rowCount === 1,
      { deadlineMs: TRADE_DEADLINE_MS, recheckMs: 500 },
    );
    const proposal = await fetch(`${dashboard()}/api/proposals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'operator',
        sourceTraceId: 'redaction-crypto-1',
        agent: 'atlas',
        title: 'Buy SOL with 20 USDC',
        rationale: 'redaction test',
        confidence: 0.8,
        steps: [
          {
            kind: 'execute_trade',
            market: 'crypto',
            trade: {
              market: 'crypto',
              inputMint: USDC,
              outputMint: SOL,
              side: 'buy',
              amount: '20',
              stopLoss: '100',
            },
          },
        ],
      }),
    });
    const decided = (await proposal.json()) as { proposalId: string; status: string };
    expect([proposal.status, decided.status]).toEqual([201, 'approved']);
    await changes!.until(
      'the trade has a position',
      async () => (await pool!.query(`select 1 from atc.positions where market = 'crypto'`)).rowCount === 1,
      { deadlineMs: TRADE_DEADLINE_MS },
    );

    const api = await crawlApi({ base: dashboard(), apiKey, proposalId: decided.proposalId, pool: pool! });
    for (const answer of api.answers) leaks.push(...scanText(answer.body, answer.route, secrets));
    expect(api.unreached).toEqual([]);
    for (const { role, port } of company!.admins) {
      for (const route of ['/metrics', '/health/ready']) {
        const answer = await fetch(`http://127.0.0.1:${port}${route}`);
        leaks.push(...scanText(await answer.text(), `${role} ${route}`, secrets));
      }
    }
    // The operator's commands: their answers and their log lines.
    for (const args of [
      ['status', '--json'],
      ['kill-switch', 'status', '--json'],
      ['apikey', 'list', '--json'],
      ['migrate', 'status', '--json'],
      ['policy', 'get', 'venues'],
      ['proposal', 'show', decided.proposalId, '--json'],
      ['audit', 'verify', '--json'],
    ]) {
      const run = await company!.atc(args);
      expect([args.join(' '), run.code]).toEqual([args.join(' '), 0]);
      leaks.push(...scanText(`${run.stdout}\n${run.stderr}`, `atc ${args.join(' ')}`, secrets));
    }
    const tables = await scanTables(pool!, secrets);
    expect(tables.tables).toBeGreaterThan(20);
    leaks.push(...tables.leaks);

    // The key is stored as its SHA-256 only.
    const stored = await pool!.query<{ key_hash: string }>(
      `select key_hash from atc.api_keys where name = 'redaction-admin'`,
    );
    expect(stored.rows).toEqual([{ key_hash: createHash('sha256').update(apiKey).digest('hex') }]);

    // Stopped, so the drain and shutdown lines are in the scan too.
    await company!.stop();
    company = undefined;
    expect(lines.length).toBeGreaterThan(100);
    // LOG_LEVEL=debug reached the roles: the scan saw what they say at their most verbose.
    const debugLines = lines.filter((line) => line.includes('"level":"debug"')).length;
    expect(debugLines).toBeGreaterThan(0);
    leaks.push(...scanText(lines.join('\n'), 'atc up output (every role)', secrets));
    process.stdout.write(
      `redaction: ${canaries.length} canaries; ${lines.length} log lines ` +
        `(${debugLines} at debug), ${tables.tables} tables, ` +
        `${api.answers.length} API answers scanned\n`,
    );
    expect(leaks).toEqual([]);
  }, 240_000);
});
