import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareFacts, type DatabaseFacts } from './backup-manifest';
import { parseKeep, pruneBackups, resolveBackupPath } from './take-backup';

describe('backup file names and retention', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'atc-backup-unit-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('names a backup in a directory by its UTC time, and keeps a file name as given', () => {
    const now = new Date('2026-12-08T02:30:05.123Z');
    expect(resolveBackupPath(`${directory}/`, now)).toBe(path.join(directory, 'atc-20261208T023005Z.dump'));
    expect(resolveBackupPath(directory, now)).toBe(path.join(directory, 'atc-20261208T023005Z.dump'));
    expect(resolveBackupPath(path.join(directory, 'named.dump'), now)).toBe(
      path.join(directory, 'named.dump'),
    );
  });

  it('--keep N keeps the newest N time-stamped dumps and their manifests, and nothing else is touched', () => {
    const days = ['20261201', '20261202', '20261203', '20261204'];
    for (const day of days) {
      writeFileSync(path.join(directory, `atc-${day}T023000Z.dump`), '');
      writeFileSync(path.join(directory, `atc-${day}T023000Z.dump.manifest.json`), '{}');
    }
    writeFileSync(path.join(directory, 'before-restore.dump'), '');
    const removed = pruneBackups(directory, 2);
    expect(removed).toEqual(['atc-20261202T023000Z.dump', 'atc-20261201T023000Z.dump']);
    expect(readdirSync(directory).sort()).toEqual([
      'atc-20261203T023000Z.dump',
      'atc-20261203T023000Z.dump.manifest.json',
      'atc-20261204T023000Z.dump',
      'atc-20261204T023000Z.dump.manifest.json',
      'before-restore.dump',
    ]);
  });

  it('--keep takes a whole number of at least 1', () => {
    expect(parseKeep('7')).toBe(7);
    expect(parseKeep(undefined)).toBeUndefined();
    for (const bad of ['0', '-1', '2.5', 'all']) expect(() => parseKeep(bad)).toThrow(/--keep must be/);
  });
});

describe('compareFacts', () => {
  const facts: DatabaseFacts = {
    schemaVersion: 16,
    migrations: [{ id: 16, name: 'exporter_reads', checksum: 'a'.repeat(64) }],
    tables: { orders: 6, fills: 6 },
    audit: { rows: 20, headId: '20', headHash: 'b'.repeat(64) },
  };

  it('finds nothing when the database is what the manifest says', () => {
    expect(compareFacts(facts, structuredClone(facts))).toEqual([]);
  });

  it('names every difference: version, checksum, counts, missing and extra tables, the audit head', () => {
    const actual: DatabaseFacts = {
      schemaVersion: 15,
      migrations: [{ id: 16, name: 'exporter_reads', checksum: 'c'.repeat(64) }],
      tables: { orders: 5, extra: 0 },
      audit: { rows: 19, headId: '19', headHash: 'd'.repeat(64) },
    };
    expect(compareFacts(facts, actual)).toEqual([
      "schema version is 15, the backup's is 16",
      'migration 16 has another checksum',
      'table atc.extra is not in the backup',
      'table atc.fills is missing',
      'atc.orders has 5 rows, the backup has 6',
      `the audit chain's head is row 19 (${'d'.repeat(64)}), the backup's is row 20 (${'b'.repeat(64)})`,
    ]);
  });
});
