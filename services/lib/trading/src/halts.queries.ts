/**
 * The halt state is the `halts` row of `atc.policies` (created by the baseline migration, never deleted).
 * `for share` lets any number of workers read it concurrently inside the transaction that moves a
 * step to `executing`, while a toggle (`for update`) waits for them and every later reader sees it.
 * @module
 */
import { queryOne, type Queryable } from '@atc/platform';
import { HaltsState, type Halt, type Market } from '@atc/contracts';

export async function selectHalts(
  db: Queryable,
  lock: 'none' | 'share' | 'update' = 'none',
): Promise<HaltsState> {
  const suffix = lock === 'share' ? ' for share' : lock === 'update' ? ' for update' : '';
  const row = await queryOne<{ value: unknown }>(
    db,
    `select value from atc.policies where key = 'halts'${suffix}`,
  );
  // No row, or a row that does not parse, must stop trading rather than read as "not halted".
  if (!row) throw new Error('the halts row is missing from atc.policies');
  return HaltsState.parse(row.value);
}

export type HaltScope = 'global' | Market;

/** Sets one scope of the halts row; jsonb_set leaves the other scopes and the latch untouched. */
export async function updateHaltScope(
  db: Queryable,
  scope: HaltScope,
  halt: Halt | null,
  by: string,
): Promise<void> {
  const path = scope === 'global' ? '{global}' : `{markets,${scope}}`;
  await db.query(
    `update atc.policies
        set value = jsonb_set(value, $1::text[], $2::jsonb), updated_by = $3::text, updated_at = now()
      where key = 'halts'`,
    [path, JSON.stringify(halt), by],
  );
}

export interface LossLatch {
  readonly trippedAt: string;
  readonly tradingDay: string;
  readonly realisedPnlUsd: string;
}

/**
 * Trips the latch unless it is already tripped; true when this call tripped it. Guarded in SQL so
 * two gates tripping at once record it once.
 */
export async function tripLossLatch(db: Queryable, latch: LossLatch): Promise<boolean> {
  const result = await db.query(
    `update atc.policies
        set value = jsonb_set(value, '{lossLatch}', $1::jsonb), updated_by = 'risk-gates', updated_at = now()
      where key = 'halts' and value->'lossLatch' = 'null'::jsonb`,
    [JSON.stringify(latch)],
  );
  return result.rowCount === 1;
}

export async function clearLossLatch(db: Queryable, by: string): Promise<boolean> {
  const result = await db.query(
    `update atc.policies
        set value = jsonb_set(value, '{lossLatch}', 'null'::jsonb), updated_by = $1::text, updated_at = now()
      where key = 'halts' and value->'lossLatch' <> 'null'::jsonb`,
    [by],
  );
  return result.rowCount === 1;
}
