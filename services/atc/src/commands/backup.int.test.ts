import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dumpSchema, makeScratchDirectory, type Queryable } from '@atc/platform';
import {
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runTypeScript,
  type TestDatabase,
} from '@atc/platform/testing';
import { applySeeds, engageKillSwitch, releaseKillSwitch } from '@atc/trading';
import { insertTestMarks, tradeRoundTrip } from '@atc/trading/testing';

// `atc backup` and `atc restore` as an operator runs them: real processes, pg_dump and pg_restore,
// a database with trades in it, and a fresh database to restore into.
const cli = path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts');

async function rowCounts(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ table: string }>(
    `select relname as table from pg_class
      where relnamespace = (select oid from pg_namespace where nspname = 'atc') and relkind in ('r', 'p') order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { table } of rows) {
    // The names come from the catalog, not from input.
    const result = await db.query<{ n: number }>(`select count(*)::int as n from atc."${table}"`);
    counts[table] = result.rows[0]!.n;
  }
  return counts;
}

describe('atc backup and atc restore (real PostgreSQL, pg_dump, pg_restore)', () => {
  let source: TestDatabase;
  const targets: TestDatabase[] = [];
  let directory: string;
  let dump: string;
  beforeAll(async () => {
    source = await createTestDatabase();
    await applySeeds(source.pool);
    await insertTestMarks(source.pool);
    for (let i = 0; i < 3; i++) await tradeRoundTrip(source.pool);
    await engageKillSwitch(source.pool, { by: 'ann', reason: 'before the backup' });
    await releaseKillSwitch(source.pool, { by: 'ann', reason: 'drill' });
    directory = makeScratchDirectory('atc-backup-test-');
  });
  afterAll(async () => {
    await Promise.all([source, ...targets].map((db) => db.drop()));
    rmSync(directory, { recursive: true, force: true });
  });

  async function atc(env: Record<string, string>, ...args: string[]) {
    const run = runTypeScript(cli, args, childEnvironment({ LOG_LEVEL: 'warn', ...env }));
    const { code, elapsedMs } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr(), elapsedMs };
  }
  async function emptyTarget(): Promise<TestDatabase> {
    const db = await createTestDatabase({ migrated: false });
    targets.push(db);
    return db;
  }

  it('writes a custom-format dump and a manifest of the schema version, row counts and audit head', async () => {
    const result = await atc({ DATABASE_URL: source.url }, 'backup', '--out', `${directory}/`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [name] = readdirSync(directory).filter((f) => f.endsWith('.dump'));
    expect(name).toMatch(/^atc-\d{8}T\d{6}Z\.dump$/);
    dump = path.join(directory, name!);
    expect(readFileSync(dump).subarray(0, 5).toString()).toBe('PGDMP'); // pg_dump's custom format
    const manifest = JSON.parse(readFileSync(`${dump}.manifest.json`, 'utf8')) as Record<string, unknown>;
    const head = await source.pool.query<{ id: string; hash: string }>(
      'select id::text, hash from atc.audit_log order by audit_log.id desc limit 1',
    );
    expect(manifest).toMatchObject({
      format: 'atc-backup/1',
      tables: await rowCounts(source.pool),
      audit: { headId: head.rows[0]!.id, headHash: head.rows[0]!.hash },
    });
    const version = await source.pool.query<{ id: number }>(
      'select max(id)::int as id from atc.schema_migrations',
    );
    expect(manifest.schemaVersion).toBe(version.rows[0]!.id);
    expect((manifest.tables as Record<string, number>).orders).toBe(6);
    expect(result.stdout).toMatch(/^wrote .*atc-\d{8}T\d{6}Z\.dump \(\d+ bytes; schema \d+;/);
  });

  it('restores into a fresh database: the same rows, the checked-in schema, an intact audit chain', async () => {
    const target = await emptyTarget();
    const result = await atc({}, 'restore', dump, '--into', target.url);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/rows in \d+ tables match the manifest; audit chain intact/);
    // The logical restore drill's measured time, process start included (docs/operations/backups.md).
    console.log(`logical restore drill: atc restore (checked) in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    expect(await rowCounts(target.pool)).toEqual(await rowCounts(source.pool));
    const snapshot = readFileSync(path.join(REPOSITORY_ROOT, 'migrations/schema.sql'), 'utf8');
    expect(await dumpSchema(target.url)).toBe(snapshot);
    const verify = await atc({ DATABASE_URL: target.url }, 'audit', 'verify');
    expect(verify.code).toBe(0);
    const audited = await source.pool.query<{ n: number }>('select count(*)::int as n from atc.audit_log');
    expect(verify.stdout).toContain(`audit log intact: ${audited.rows[0]!.n} rows verified`);
  });

  it('refuses a target that is not empty, naming what it holds, and replaces its schema atc with --force', async () => {
    const target = await emptyTarget();
    await target.pool.query('create table public.leftover (id int)');
    await target.pool.query('create schema atc');
    await target.pool.query('create table atc.proposals (id int)');
    const refused = await atc({}, 'restore', dump, '--into', target.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the target database is not empty: it holds .*schema atc/);
    expect(refused.stderr).toMatch(/table atc\.proposals/);
    expect(refused.stderr).toMatch(/table public\.leftover/);
    expect(refused.stderr).toMatch(/--force/);
    expect(await rowCounts(target.pool)).toEqual({ proposals: 0 });

    const forced = await atc({}, 'restore', dump, '--into', target.url, '--force');
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/--force: dropped schema atc/);
    expect(await rowCounts(target.pool)).toEqual(await rowCounts(source.pool));
  });

  it('exits 1 naming each difference when the restored database does not match the manifest', async () => {
    const tampered = path.join(directory, 'tampered.dump');
    writeFileSync(tampered, readFileSync(dump));
    const manifest = JSON.parse(readFileSync(`${dump}.manifest.json`, 'utf8')) as {
      tables: Record<string, number>;
      audit: { headHash: string };
    };
    manifest.tables.orders = 7;
    manifest.audit.headHash = 'f'.repeat(64);
    writeFileSync(`${tampered}.manifest.json`, JSON.stringify(manifest));
    const result = await atc({}, 'restore', tampered, '--into', (await emptyTarget()).url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('does not match its manifest');
    expect(result.stderr).toContain('atc.orders has 6 rows, the backup has 7');
    expect(result.stderr).toMatch(
      /the audit chain's head is row \d+ \([0-9a-f]{64}\), the backup's is row \d+ \(f{64}\)/,
    );
  });

  it('restores nothing from a dump that is not the one its manifest describes', async () => {
    const corrupt = path.join(directory, 'corrupt.dump');
    const bytes = readFileSync(dump);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(corrupt, bytes);
    writeFileSync(`${corrupt}.manifest.json`, readFileSync(`${dump}.manifest.json`));
    const target = await emptyTarget();
    const result = await atc({}, 'restore', corrupt, '--into', target.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the backup does not match its manifest, nothing restored: .*SHA-256/);
    expect(await rowCounts(target.pool)).toEqual({});
  });

  it('refuses usage mistakes with exit 2', async () => {
    expect((await atc({}, 'restore', dump)).stderr).toMatch(/atc restore needs --into DATABASE_URL/);
    const noOut = await atc({ DATABASE_URL: source.url }, 'backup');
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/atc backup needs --out/);
  });
});
