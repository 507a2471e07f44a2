import type { Queryable } from '@atc/platform';
import { SignatureTakenError, type SignatureStore, type SwapOrderRecord } from './signature-store';

/**
 * The production `SignatureStore`: `atc.swap_signatures`, one row per client order id. `save`
 * commits on its own connection before it resolves (the transaction is sent only afterwards), and
 * the first writer wins, so two processes can never sign two transactions for one order.
 */
export class PostgresSignatureStore implements SignatureStore {
  constructor(private readonly db: Queryable) {}

  async save(record: SwapOrderRecord): Promise<SwapOrderRecord> {
    try {
      // Only a conflict on the order is "first writer wins"; one on the signature (another order's
      // identical transaction) raises, since nothing may be stored for this order then.
      await this.db.query(
        `insert into atc.swap_signatures (client_order_id, signature, last_valid_block_height, record)
         values ($1::text, $2::text, $3::bigint, $4::jsonb)
         on conflict (client_order_id) do nothing`,
        [record.clientOrderId, record.signature, record.lastValidBlockHeight, JSON.stringify(record)],
      );
    } catch (error) {
      if (isSignatureTaken(error)) throw new SignatureTakenError(record.signature, { cause: error });
      throw error;
    }
    const stored = await this.load(record.clientOrderId);
    if (!stored) throw new Error(`swap record for ${record.clientOrderId} was not stored`);
    return stored;
  }

  async load(clientOrderId: string): Promise<SwapOrderRecord | undefined> {
    const result = await this.db.query<{ record: SwapOrderRecord }>(
      'select record from atc.swap_signatures where client_order_id = $1::text',
      [clientOrderId],
    );
    return result.rows[0]?.record;
  }
}

/** A unique violation (SQLSTATE 23505) of the signature's own unique constraint. */
function isSignatureTaken(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'swap_signatures_signature_key';
}
