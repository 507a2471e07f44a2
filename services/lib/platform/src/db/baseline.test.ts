import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { baselineState, loadBaseline, type AppliedMigration } from './baseline';
import { findMigrationsDirectory, loadMigrationFiles } from './migrations';

const checksum = (digit: string) => digit.repeat(64);

function baselineJson(replaces: number, migration = `${String(replaces).padStart(4, '0')}_baseline`) {
  return JSON.stringify({
    migration,
    replaces: Array.from({ length: replaces }, (_, i) => ({
      id: i + 1,
      name: `m${i + 1}`,
      checksum: checksum('a'),
    })),
  });
}

describe('loadBaseline', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'atc-baseline-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('reads the repository baseline: 0012_baseline replaces 0001–0012, and the files start at it', () => {
    const migrations = findMigrationsDirectory(__dirname);
    const baseline = loadBaseline(migrations)!;
    expect(baseline.id).toBe(12);
    expect(baseline.name).toBe('baseline');
    expect(baseline.replaces.map((m) => m.name)).toEqual([
      'create_schema',
      'trading_core',
      'audit_hash_in_sql',
      'step_queue_claim_index_and_batched_settle',
      'heartbeat_lease_and_venue_health',
      'heartbeat_phases_state',
      'step_wakeups_and_swap_signatures',
      'queue_claims_record_events',
      'queue_event_payloads_as_text',
      'queue_tables_enum_domains',
      'priced_entries',
      'repeatable_functions',
    ]);
    expect(loadMigrationFiles(migrations)[0]).toMatchObject({ id: 12, name: 'baseline' });
  });

  it('is absent without baseline.json, and then migrations start at 0001', () => {
    expect(loadBaseline(directory)).toBeUndefined();
    writeFileSync(path.join(directory, '0002_b.up.sql'), 'select 1;');
    writeFileSync(path.join(directory, '0002_b.down.sql'), 'select 1;');
    expect(() => loadMigrationFiles(directory)).toThrow(/numbered from 0001_name on, without gaps; found 2/);
  });

  it('names the field that is wrong', () => {
    writeFileSync(
      path.join(directory, 'baseline.json'),
      JSON.stringify({ migration: '0001_baseline', replaces: [{ id: 1, name: 'a', checksum: 'nope' }] }),
    );
    expect(() => loadBaseline(directory)).toThrow(
      /baseline.json: replaces.0.checksum must be a sha256 in hex/,
    );
    writeFileSync(path.join(directory, 'baseline.json'), baselineJson(3, '0002_baseline'));
    expect(() => loadBaseline(directory)).toThrow(
      /must be numbered as the newest migration it replaces \(3\)/,
    );
  });

  it('requires the baseline file to be the first migration file', () => {
    writeFileSync(path.join(directory, 'baseline.json'), baselineJson(2));
    writeFileSync(path.join(directory, '0003_next.up.sql'), 'select 1;');
    writeFileSync(path.join(directory, '0003_next.down.sql'), 'select 1;');
    expect(() => loadMigrationFiles(directory)).toThrow(
      /names the baseline 0002_baseline, which has no file/,
    );
    writeFileSync(path.join(directory, '0002_other.up.sql'), 'select 1;');
    writeFileSync(path.join(directory, '0002_other.down.sql'), 'select 1;');
    expect(() => loadMigrationFiles(directory)).toThrow(/migration 2 is named other/);
    rmSync(path.join(directory, '0002_other.up.sql'));
    rmSync(path.join(directory, '0002_other.down.sql'));
    writeFileSync(path.join(directory, '0002_baseline.up.sql'), 'select 1;');
    writeFileSync(path.join(directory, '0002_baseline.down.sql'), 'select 1;');
    expect(loadMigrationFiles(directory).map((file) => file.id)).toEqual([2, 3]);
  });
});

describe('baselineState', () => {
  const baseline = {
    id: 2,
    name: 'baseline',
    replaces: [
      { id: 1, name: 'first', checksum: checksum('a') },
      { id: 2, name: 'second', checksum: checksum('b') },
    ],
  };
  const row = (id: number, name: string, digit: string): AppliedMigration => ({
    id,
    name,
    checksum: checksum(digit),
    appliedAt: new Date(0),
  });

  it('tells a database at the baseline (or empty) from one that has every replaced migration', () => {
    expect(baselineState(baseline, [])).toBe('none');
    expect(baselineState(baseline, [row(2, 'baseline', 'c'), row(3, 'later', 'd')])).toBe('none');
    expect(baselineState(baseline, [row(1, 'first', 'a'), row(2, 'second', 'b'), row(3, 'later', 'd')])).toBe(
      'replaced',
    );
  });

  it('refuses part of them, and one applied with another checksum', () => {
    expect(() => baselineState(baseline, [row(1, 'first', 'a')])).toThrow(
      /has 1 of the 2 migrations that 0002_baseline replaces \(missing: 0002_second\)/,
    );
    expect(() => baselineState(baseline, [row(1, 'first', 'a'), row(2, 'second', 'e')])).toThrow(
      /migration 0002_second was applied, and its file has changed since/,
    );
  });
});
