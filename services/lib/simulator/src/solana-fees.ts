/**
 * Solana's fee rule, as the simulated chain charges it: 5,000 lamports per signature plus the
 * priority fee the transaction's own ComputeBudget instructions set — compute unit price
 * (micro-lamports per unit) × compute unit limit, rounded up. Jupiter's swap builds those two
 * instructions from the requested `prioritizationFeeLamports`, so two swaps that differ only in their
 * priority fee are different bytes with different signatures.
 * @module
 */
import {
  ComputeBudgetProgram,
  type PublicKey,
  type TransactionInstruction,
  type VersionedTransaction,
} from '@solana/web3.js';

export const SIGNATURE_FEE_LAMPORTS = 5_000n;
/** What the simulated swap "simulates" to, like Jupiter's `dynamicComputeUnitLimit`. */
export const SWAP_COMPUTE_UNIT_LIMIT = 182_344;
/** What `prioritizationFeeLamports: "auto"` resolves to on the simulated chain. */
export const AUTO_PRIORITY_FEE_LAMPORTS = 5_000;
/** Solana's default limit per instruction when a transaction sets none, and its per-transaction cap. */
const DEFAULT_UNITS_PER_INSTRUCTION = 200_000n;
const MAX_COMPUTE_UNIT_LIMIT = 1_400_000n;
const SET_COMPUTE_UNIT_LIMIT = 2;
const SET_COMPUTE_UNIT_PRICE = 3;

/**
 * The compute unit price that spends at most `feeLamports` over `limit` units, rounded down as
 * Jupiter does. Below a million units every whole lamport of fee is a distinct price, so the
 * fee charged back (rounded up) is exactly `feeLamports`.
 */
export function computeUnitPriceMicroLamports(feeLamports: number, limit = SWAP_COMPUTE_UNIT_LIMIT): bigint {
  return (BigInt(feeLamports) * 1_000_000n) / BigInt(limit);
}

/** The two ComputeBudget instructions a Jupiter swap transaction starts with. */
export function computeBudgetInstructions(priorityFeeLamports: number): TransactionInstruction[] {
  return [
    ComputeBudgetProgram.setComputeUnitLimit({ units: SWAP_COMPUTE_UNIT_LIMIT }),
    ComputeBudgetProgram.setComputeUnitPrice({
      microLamports: computeUnitPriceMicroLamports(priorityFeeLamports),
    }),
  ];
}

export function isComputeBudgetProgram(programId: PublicKey | undefined): boolean {
  return programId?.equals(ComputeBudgetProgram.programId) ?? false;
}

/** The fee the chain charges `tx`: per signature, plus the priority fee its ComputeBudget instructions set. */
export function transactionFeeLamports(tx: VersionedTransaction): bigint {
  const keys = tx.message.staticAccountKeys;
  let limit: bigint | undefined;
  let price = 0n;
  let otherInstructions = 0n;
  for (const instruction of tx.message.compiledInstructions) {
    if (!isComputeBudgetProgram(keys[instruction.programIdIndex])) {
      otherInstructions += 1n;
      continue;
    }
    const data = Buffer.from(instruction.data);
    if (data[0] === SET_COMPUTE_UNIT_LIMIT && data.length >= 5) limit = BigInt(data.readUInt32LE(1));
    if (data[0] === SET_COMPUTE_UNIT_PRICE && data.length >= 9) price = data.readBigUInt64LE(1);
  }
  const units = limit ?? otherInstructions * DEFAULT_UNITS_PER_INSTRUCTION;
  const capped = units > MAX_COMPUTE_UNIT_LIMIT ? MAX_COMPUTE_UNIT_LIMIT : units;
  const priority = (price * capped + 999_999n) / 1_000_000n;
  return SIGNATURE_FEE_LAMPORTS * BigInt(tx.message.header.numRequiredSignatures) + priority;
}
