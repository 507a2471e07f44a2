import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { silentLogger } from '../logger';
import { startScratchDatabase } from './scratch-database';

/**
 * The embedded PostgreSQL's binaries load by a dynamic import, which jest's module sandbox cannot
 * run: the scratch database is exercised in a plain Node process, as the benchmarks run it.
 */
function runInNode(script: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=commonjs', '-e', script], {
    cwd: path.resolve(__dirname, '../../../../..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('startScratchDatabase', () => {
  it('holds a migrated database, and stop() ends its pools, the server and the directory', () => {
    const module = JSON.stringify(path.join(__dirname, 'scratch-database.ts'));
    const logger = JSON.stringify(path.join(__dirname, '..', 'logger.ts'));
    const result = runInNode(`
      const { existsSync } = require('node:fs');
      const { startScratchDatabase } = require(${module});
      const { silentLogger } = require(${logger});
      (async () => {
        const database = await startScratchDatabase({ name: 'atc_scratch_test', logger: silentLogger(), from: process.cwd() });
        const pool = database.pool({ max: 2, label: 'test' });
        const applied = (await pool.query('select count(*)::int as n from atc.schema_migrations')).rows[0].n;
        const dir = (await pool.query('show data_directory')).rows[0].data_directory;
        const existed = existsSync(dir);
        await database.stop();
        console.log(JSON.stringify({ applied, existed, ended: pool.ended, removed: !existsSync(dir) }));
      })().catch((error) => { console.error(error); process.exit(1); });
    `);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
      applied: number;
      existed: boolean;
      ended: boolean;
      removed: boolean;
    };
    expect(report.applied).toBeGreaterThan(0);
    expect(report).toMatchObject({ existed: true, ended: true, removed: true });
  });

  it('refuses a name that is not a plain identifier, before starting anything', async () => {
    await expect(
      startScratchDatabase({ name: 'x; drop', logger: silentLogger(), from: __dirname }),
    ).rejects.toThrow('lower-case letters, digits and _ only');
  });
});
