/**
 * What the simulated chain remembers of a landed transaction, and its `getTransaction` answer in
 * the real wire format (`json` or `jsonParsed` encoding, version 0): the fee payer's lamports before
 * and after in `meta.preBalances`/`postBalances` (fee included), and the owner's SPL token accounts
 * in `meta.preTokenBalances`/`postTokenBalances` (`uiTokenAmount.amount` in base units). Native SOL
 * moves in lamports only: Jupiter wraps and unwraps it inside the transaction.
 * @module
 */
import { createHash } from 'node:crypto';
import bs58 from 'bs58';
import { SOL_MINT, tokenByMint } from './instruments';
import { SWAP_COMPUTE_UNIT_LIMIT } from './solana-fees';

export const SPL_TOKEN_PROGRAM_ID = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
const TOKEN_ACCOUNT_RENT_LAMPORTS = 2_039_280;
const PROGRAM_ACCOUNT_LAMPORTS = 1_141_440;

export interface LandedRecord {
  readonly signature: string;
  readonly owner: string;
  readonly programId: string;
  readonly recentBlockhash: string;
  readonly instructionData: string;
  readonly slot: number;
  readonly blockTimeSeconds: number;
  readonly err: unknown;
  readonly fee: bigint;
  /** The token mints the transaction touched, in account order after the payer. */
  readonly mints: readonly string[];
  /** Balances of the owner before and after, per mint (SOL in lamports), absent when no account. */
  readonly before: ReadonlyMap<string, bigint>;
  readonly after: ReadonlyMap<string, bigint>;
}

/** A deterministic stand-in for the owner's associated token account of `mint`. */
export function tokenAccountAddress(owner: string, mint: string): string {
  return bs58.encode(createHash('sha256').update(`ata/${owner}/${mint}`).digest());
}

function tokenBalances(record: LandedRecord, balances: ReadonlyMap<string, bigint>) {
  return record.mints.flatMap((mint, i) => {
    const amount = balances.get(mint);
    if (mint === SOL_MINT || amount === undefined) return [];
    const decimals = tokenByMint(mint)?.decimals ?? 0;
    const ui = Number(amount) / 10 ** decimals;
    return [
      {
        accountIndex: i + 1,
        mint,
        owner: record.owner,
        programId: SPL_TOKEN_PROGRAM_ID,
        uiTokenAmount: { amount: amount.toString(), decimals, uiAmount: ui, uiAmountString: String(ui) },
      },
    ];
  });
}

function lamports(record: LandedRecord, balances: ReadonlyMap<string, bigint>): number[] {
  return [
    Number(balances.get(SOL_MINT) ?? 0n),
    ...record.mints.map(() => TOKEN_ACCOUNT_RENT_LAMPORTS),
    PROGRAM_ACCOUNT_LAMPORTS,
  ];
}

/** `getTransaction`'s result for a landed transaction. */
export function transactionResponse(record: LandedRecord, encoding: 'json' | 'jsonParsed'): unknown {
  const keys = [
    record.owner,
    ...record.mints.map((mint) => tokenAccountAddress(record.owner, mint)),
    record.programId,
  ];
  const accounts = keys.slice(0, -1).map((_, i) => i);
  const data = bs58.encode(Buffer.from(record.instructionData, 'utf8'));
  const message =
    encoding === 'json'
      ? {
          header: {
            numRequiredSignatures: 1,
            numReadonlySignedAccounts: 0,
            numReadonlyUnsignedAccounts: 1,
          },
          accountKeys: keys,
          recentBlockhash: record.recentBlockhash,
          instructions: [{ programIdIndex: keys.length - 1, accounts, data, stackHeight: null }],
          addressTableLookups: [],
        }
      : {
          accountKeys: keys.map((pubkey, i) => ({
            pubkey,
            signer: i === 0,
            writable: i < keys.length - 1,
            source: 'transaction',
          })),
          recentBlockhash: record.recentBlockhash,
          instructions: [
            { programId: record.programId, accounts: keys.slice(0, -1), data, stackHeight: null },
          ],
          addressTableLookups: [],
        };
  return {
    slot: record.slot,
    blockTime: record.blockTimeSeconds,
    version: 0,
    transaction: { signatures: [record.signature], message },
    meta: {
      err: record.err,
      status: record.err === null ? { Ok: null } : { Err: record.err },
      fee: Number(record.fee),
      preBalances: lamports(record, record.before),
      postBalances: lamports(record, record.after),
      preTokenBalances: tokenBalances(record, record.before),
      postTokenBalances: tokenBalances(record, record.after),
      innerInstructions: [],
      logMessages: [`Program ${record.programId} invoke [1]`, `Program ${record.programId} success`],
      rewards: [],
      loadedAddresses: { writable: [], readonly: [] },
      computeUnitsConsumed: SWAP_COMPUTE_UNIT_LIMIT,
    },
  };
}
