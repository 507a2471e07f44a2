import { rmSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import {
  findMigrationsDirectory,
  makeScratchDirectory,
  Migrator,
  silentLogger,
  withDatabase,
  type LocalPostgres,
} from '@atc/platform';
import { applySeeds, verifyAuditChain } from '@atc/trading';
import { insertTestMarks, tradeRoundTrip } from '@atc/trading/testing';
import { compareFacts, readDatabaseFacts } from './backup-manifest';
import {
  recoverToTime,
  startArchivingCluster,
  switchAndArchive,
  takeBaseBackup,
} from '../testing/wal-archiving-cluster';

// Point-in-time recovery for real (docs/operations/backups.md): WAL archiving on, a base backup, more
// trading, a noted time, a destructive change, and a copy recovered to the noted time from the base
// backup and the archive. The restore drill's time is printed.
const DATABASE = 'atc_pitr';

describe('point-in-time recovery from a base backup and the WAL archive', () => {
  let scratch: string;
  const servers: LocalPostgres[] = [];
  const pools: Pool[] = [];
  beforeAll(() => {
    scratch = makeScratchDirectory('atc-pitr-');
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    for (const server of servers) await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const poolOn = (serverUrl: string) => {
    const pool = new Pool({ connectionString: withDatabase(serverUrl, DATABASE), max: 3 });
    // An idle connection to a cluster being stopped is ended by the server (57P01); the pool reports
    // it here rather than as an unhandled error. Every query's own failure still fails the test.
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  const clientOrderIds = async (pool: Pool) =>
    (await pool.query<{ id: string }>('select client_order_id as id from atc.orders order by 1')).rows.map(
      (r) => r.id,
    );

  it('recovers the rows and the audit chain as they were at the noted time', async () => {
    const { server, archive } = await startArchivingCluster(scratch);
    servers.push(server);
    const admin = new Pool({ connectionString: server.url, max: 1 });
    await admin.query(`create database ${DATABASE}`);
    await admin.end();
    const primary = poolOn(server.url);
    await new Migrator({
      pool: primary,
      directory: findMigrationsDirectory(__dirname),
      logger: silentLogger(),
    }).up();
    await applySeeds(primary);
    await insertTestMarks(primary);
    await tradeRoundTrip(primary);

    const baseBackup = path.join(scratch, 'base-backup');
    await takeBaseBackup(server.url, baseBackup);
    // Trading goes on after the base backup: these rows exist only in the WAL.
    const afterBackup = [await tradeRoundTrip(primary), await tradeRoundTrip(primary)];
    const atTarget = await readDatabaseFacts(primary);
    const ordersAtTarget = await clientOrderIds(primary);
    const noted = await primary.query<{ at: string }>('select clock_timestamp()::text as at');
    const targetTime = noted.rows[0]!.at;

    // The bad night: the orders, their fills and the event history deleted, then more trading.
    // One client: a pool would send each statement to whichever connection is free.
    const incident = await primary.connect();
    try {
      await incident.query('begin');
      await incident.query('delete from atc.fills');
      await incident.query('delete from atc.orders');
      await incident.query('delete from atc.events');
      await incident.query('commit');
    } finally {
      incident.release();
    }
    const afterIncident = await tradeRoundTrip(primary);
    expect(await clientOrderIds(primary)).toEqual([...afterIncident.clientOrderIds].sort());
    await switchAndArchive(primary, archive);

    const started = process.hrtime.bigint();
    const recovered = await recoverToTime({ baseBackup, archive, targetTime });
    servers.push(recovered);
    const copy = poolOn(recovered.url);
    const facts = await readDatabaseFacts(copy);
    const audit = await verifyAuditChain(copy);
    const drillSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    expect(compareFacts(atTarget, facts)).toEqual([]);
    expect(facts.tables.orders).toBeGreaterThan(0);
    expect(await clientOrderIds(copy)).toEqual(ordersAtTarget);
    for (const trip of afterBackup)
      expect(ordersAtTarget).toEqual(expect.arrayContaining([...trip.clientOrderIds]));
    expect(ordersAtTarget).not.toEqual(expect.arrayContaining([afterIncident.clientOrderIds[0]]));
    expect(audit).toEqual({ ok: true, checked: atTarget.audit.rows });
    // Promoted: the copy takes writes again.
    const writable = await copy.query<{ recovering: boolean }>('select pg_is_in_recovery() as recovering');
    expect(writable.rows[0]!.recovering).toBe(false);
    // The restore drill's measured time (docs/operations/backups.md quotes it).
    console.log(
      `PITR restore drill: recovered to ${targetTime} and verified ${Object.values(facts.tables).reduce((a, b) => a + b, 0)} rows ` +
        `and ${audit.checked} audit rows in ${drillSeconds.toFixed(1)} s`,
    );
  });
});
