import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeScratchDirectory } from '@atc/platform';
import { childEnvironment, REPOSITORY_ROOT, runTypeScript } from '@atc/platform/testing';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { insertTestMarks } from '@atc/trading/testing';

// The operator commands of the trading core, run as an operator runs them: a real process, real
// exit codes, JSON on stdout.
const cli = path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts');

describe('atc proposal | policy | kill-switch | audit | seed', () => {
  let db: TestDatabase;
  let scratch: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    scratch = makeScratchDirectory('atc-trading-cli-');
  });
  afterAll(async () => {
    await db.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  // No venue answers here (port 9 is discard, closed on loopback): entries are priced from the marks
  // the test inserts, whatever else runs on this machine (a simulator on the default port would quote).
  const NO_VENUE = 'http://127.0.0.1:9';
  const venueUrls = {
    JUPITER_BASE_URL: `${NO_VENUE}/jupiter`,
    SOLANA_RPC_URL: `${NO_VENUE}/solana`,
    TRADIER_BASE_URL: `${NO_VENUE}/tradier/v1`,
    NEBULA_BASE_URL: `${NO_VENUE}/nebula`,
    PROJECTX_BASE_URL: `${NO_VENUE}/projectx`,
  };

  async function atc(...args: string[]) {
    const run = runTypeScript(
      cli,
      args,
      childEnvironment({ DATABASE_URL: db.url, LOG_LEVEL: 'warn', ...venueUrls }),
    );
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  }
  const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

  it('seeds, submits, lists, approves, halts and verifies the audit chain', async () => {
    expect((await atc('seed', '--json')).stdout).toMatch(/"relationships": 15/);

    const file = path.join(scratch, 'proposal.json');
    writeFileSync(
      file,
      JSON.stringify({
        source: 'operator',
        sourceTraceId: 'cli-1',
        agent: 'atlas',
        title: 'Buy one MES contract',
        confidence: 0.9,
        steps: [
          {
            kind: 'execute_trade',
            market: 'futures',
            trade: {
              market: 'futures',
              rootSymbol: 'MES',
              side: 'buy',
              contracts: 1,
              notionalUsd: '50',
              bracket: { stopLoss: '5000' },
            },
          },
        ],
      }),
    );
    // The engine prices the entry from a fresh mark: 1 MES × 5 USD × (5010 − 5000) = 50 USD to the stop.
    await insertTestMarks(db.pool, new Date(), { MES: '5010' }, 'futures');
    const submitted = await atc('proposal', 'submit', '-f', file, '--json');
    expect(submitted.code).toBe(0);
    const decision = json(submitted.stdout);
    expect(decision).toMatchObject({ status: 'awaiting_approval' });

    const listed = await atc('proposal', 'list', '--status', 'awaiting_approval');
    expect(listed.stdout).toContain(String(decision.proposalId));

    // explain shows what the engine priced: the exact order, its price, source, time and exposure.
    const explained = await atc('proposal', 'explain', String(decision.proposalId), '--json');
    expect(explained.code).toBe(0);
    expect(json(explained.stdout)).toMatchObject({
      entries: [
        {
          market: 'futures',
          instrument: 'MES',
          quantity: '1',
          price: '5010',
          priceSource: 'mark',
          notionalUsd: '50.00',
        },
      ],
      orders: [],
    });
    const explainedText = await atc('proposal', 'explain', String(decision.proposalId));
    expect(explainedText.stdout).toMatch(/priced entries[\s\S]*MES[\s\S]*5010[\s\S]*mark[\s\S]*50\.00/);

    const approved = await atc(
      'proposal',
      'approve',
      String(decision.proposalId),
      '--by',
      'operator:cli',
      '--json',
    );
    expect(json(approved.stdout)).toMatchObject({ status: 'approved' });

    const on = await atc('kill-switch', 'on', '--reason', 'cli drill', '--json');
    expect(json(on.stdout)).toMatchObject({ global: { reason: 'cli drill' } });
    expect((await atc('kill-switch', 'status')).stdout).toMatch(/global\s+true\s+cli drill/);
    expect(json((await atc('kill-switch', 'off', '--reason', 'drill over', '--json')).stdout)).toMatchObject({
      global: null,
    });
    const released = await db.pool.query<{ details: unknown }>(
      `select details from atc.audit_log where action = 'kill_switch.released' order by id desc limit 1`,
    );
    expect(released.rows[0]?.details).toEqual({ reason: 'drill over' });

    const policy = await atc('policy', 'get', 'trade_limits', '--json');
    expect(json(policy.stdout)).toMatchObject({ key: 'trade_limits', value: { maxDailyTrades: 8 } });
    const bad = path.join(scratch, 'bad-policy.json');
    writeFileSync(bad, JSON.stringify({ maxDailyTrades: -1 }));
    const refused = await atc('policy', 'set', 'trade_limits', '-f', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/invalid policy "trade_limits": maxDailyTrades/);

    const verified = await atc('audit', 'verify');
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toMatch(/audit log intact: \d+ rows verified/);
  }, 120_000);

  it('audit verify names the row altered behind its back, with exit code 1', async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      `select id::text from atc.audit_log where action = 'kill_switch.engaged'`,
    );
    const target = rows[0]!.id;
    const client = await db.pool.connect();
    try {
      await client.query('set session_replication_role = replica');
      await client.query(`update atc.audit_log set actor = 'someone-else' where id = $1`, [target]);
    } finally {
      await client.query('set session_replication_role = origin');
      client.release();
    }
    const verified = await atc('audit', 'verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`audit log BROKEN at row ${target}: content does not match its hash`);
  }, 60_000);
});
