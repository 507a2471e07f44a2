/**
 * A baseline migration squashes the oldest migrations into one file, as Django's squashed migrations
 * (`replaces = [...]`) or Flyway's baseline migrations do. `migrations/baseline.json` names the
 * baseline file (`NNNN_name`, numbered as the newest migration it replaces, so later migrations keep
 * their numbers) and records each replaced migration's id, name and checksum as they were applied.
 *
 * A fresh database runs the baseline. A database whose `atc.schema_migrations` holds every replaced
 * migration with its recorded checksum already has the baseline's schema: the migrator swaps those
 * rows for one row of the baseline, in one transaction under its advisory lock, and runs nothing.
 * A database with only some of them was migrated by an older release and stopped part way: it is
 * refused, as is one whose recorded checksum differs (its schema is not the one the baseline has).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConflictError, InputError } from '../errors';

export interface ReplacedMigration {
  readonly id: number;
  readonly name: string;
  readonly checksum: string;
}

export interface Baseline {
  /** The baseline migration's id: the id of the newest migration it replaces. */
  readonly id: number;
  readonly name: string;
  /** Ids 1 to `id`, in order. */
  readonly replaces: readonly ReplacedMigration[];
}

/** A row of `atc.schema_migrations`. */
export interface AppliedMigration {
  readonly id: number;
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
}

const BASELINE_FILE = 'baseline.json';

const baselineSchema = z.strictObject({
  migration: z.string().regex(/^\d{4}_[a-z0-9_]+$/, 'must be a migration file name without .up.sql'),
  replaces: z
    .array(
      z.strictObject({
        id: z.number().int().positive(),
        name: z.string().regex(/^[a-z0-9_]+$/),
        checksum: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex'),
      }),
    )
    .min(1),
});

/** The baseline `directory` declares in baseline.json; undefined when it has none. */
export function loadBaseline(directory: string): Baseline | undefined {
  const file = path.join(directory, BASELINE_FILE);
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${BASELINE_FILE} is not valid JSON`, { cause: error });
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${BASELINE_FILE}: ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  const [idText, ...nameParts] = parsed.data.migration.split('_');
  const id = Number(idText);
  parsed.data.replaces.forEach((migration, index) => {
    if (migration.id !== index + 1)
      throw new InputError(
        `${BASELINE_FILE}: replaces.${index}.id must be ${index + 1}, got ${migration.id}`,
      );
  });
  if (parsed.data.replaces.length !== id)
    throw new InputError(
      `${BASELINE_FILE}: migration ${parsed.data.migration} must be numbered as the newest migration it ` +
        `replaces (${parsed.data.replaces.length})`,
    );
  return { id, name: nameParts.join('_'), replaces: parsed.data.replaces };
}

export function migrationLabel(id: number, name: string): string {
  return `${String(id).padStart(4, '0')}_${name}`;
}

function isBaselineRecord(baseline: Baseline, row: AppliedMigration): boolean {
  return row.id === baseline.id && row.name === baseline.name;
}

/** The rows of `applied` that record migrations the baseline replaces (not the baseline's own row). */
function replacedRows(baseline: Baseline, applied: readonly AppliedMigration[]): AppliedMigration[] {
  return applied.filter((row) => row.id <= baseline.id && !isBaselineRecord(baseline, row));
}

/**
 * The state of a database against the baseline: `replaced` when it holds every replaced migration
 * with its recorded checksum (so the baseline's row should take their place), `none` when it holds
 * none of them (empty, or already recorded at the baseline). Throws a ConflictError for a database
 * part way through the replaced migrations or with a replaced migration whose checksum differs.
 */
export function baselineState(baseline: Baseline, applied: readonly AppliedMigration[]): 'none' | 'replaced' {
  const rows = replacedRows(baseline, applied);
  if (rows.length === 0) return 'none';
  const label = migrationLabel(baseline.id, baseline.name);
  for (const row of rows) {
    const expected = baseline.replaces.find((m) => m.id === row.id);
    if (expected && expected.name === row.name && expected.checksum === row.checksum) continue;
    throw new ConflictError(
      `migration ${migrationLabel(row.id, row.name)} was applied, and its file has changed since: ` +
        `it is not the migration ${label} replaces (migrations/baseline.json records ` +
        `${expected ? migrationLabel(expected.id, expected.name) : 'no such migration'}). ` +
        'A merged migration is never edited: this database does not have the schema the baseline has.',
    );
  }
  if (rows.length < baseline.replaces.length) {
    const missing = baseline.replaces.filter((m) => !rows.some((row) => row.id === m.id));
    throw new ConflictError(
      `the database has ${rows.length} of the ${baseline.replaces.length} migrations that ${label} replaces ` +
        `(missing: ${missing.map((m) => migrationLabel(m.id, m.name)).join(', ')}). Upgrade it first with ` +
        `an older release of atc that still has migrations 0001–${String(baseline.id).padStart(4, '0')} ` +
        '(`atc migrate up`), then run this one.',
    );
  }
  return 'replaced';
}

/**
 * `applied` as it reads once the baseline is recorded: the replaced rows become the baseline's row
 * (applied when the newest of them was). For a status that must not write.
 */
export function withBaselineRecorded(
  baseline: Baseline,
  checksum: string,
  applied: readonly AppliedMigration[],
): AppliedMigration[] {
  const rows = replacedRows(baseline, applied);
  if (rows.length === 0) return [...applied];
  const appliedAt = new Date(Math.max(...rows.map((row) => row.appliedAt.getTime())));
  return [
    { id: baseline.id, name: baseline.name, checksum, appliedAt },
    ...applied.filter((row) => row.id > baseline.id),
  ];
}
