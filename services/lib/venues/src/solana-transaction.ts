/**
 * `getTransaction` (encoding `json`, version 0) as far as fills need it, and the balance changes of
 * one wallet it records — the chain's own account of what a swap delivered, as production Jupiter
 * integrations read it: SPL tokens from `meta.preTokenBalances`/`postTokenBalances` (`owner`,
 * `uiTokenAmount.amount` in base units), native SOL from `meta.preBalances`/`postBalances` at the
 * wallet's account index, with the fee (`meta.fee`, paid by the first account) reported apart.
 * @module
 */
import { z } from 'zod';

const tokenBalance = z.object({
  accountIndex: z.number().int(),
  mint: z.string(),
  owner: z.string().optional(),
  uiTokenAmount: z.object({ amount: z.string().regex(/^\d+$/), decimals: z.number().int().min(0) }),
});

export const solanaTransactionSchema = z.object({
  slot: z.number().int(),
  blockTime: z.number().int().nullable().optional(),
  meta: z.object({
    err: z.unknown(),
    fee: z.number().int().min(0),
    preBalances: z.array(z.number().int()),
    postBalances: z.array(z.number().int()),
    preTokenBalances: z.array(tokenBalance).nullable().optional(),
    postTokenBalances: z.array(tokenBalance).nullable().optional(),
    loadedAddresses: z
      .object({ writable: z.array(z.string()), readonly: z.array(z.string()) })
      .nullable()
      .optional(),
  }),
  transaction: z.object({
    signatures: z.array(z.string()),
    message: z.object({ accountKeys: z.array(z.string()) }),
  }),
});
export type SolanaTransaction = z.infer<typeof solanaTransactionSchema>;

export interface WalletBalanceChanges {
  readonly slot: number;
  readonly err: unknown;
  /** Lamports the wallet paid as the transaction's fee (0 when another account paid it). */
  readonly feeLamports: bigint;
  /** Base units per mint, signed; native SOL (excluding the fee) under `nativeMint`. */
  readonly deltas: ReadonlyMap<string, bigint>;
  /** Decimals per mint as the token accounts report them. */
  readonly decimals: ReadonlyMap<string, number>;
}

export function walletBalanceChanges(
  tx: SolanaTransaction,
  wallet: string,
  nativeMint: string,
): WalletBalanceChanges {
  const { meta } = tx;
  const keys = [
    ...tx.transaction.message.accountKeys,
    ...(meta.loadedAddresses?.writable ?? []),
    ...(meta.loadedAddresses?.readonly ?? []),
  ];
  const deltas = new Map<string, bigint>();
  const decimals = new Map<string, number>();
  const add = (mint: string, amount: bigint) => deltas.set(mint, (deltas.get(mint) ?? 0n) + amount);
  const ownerOf = (b: z.infer<typeof tokenBalance>) => b.owner ?? keys[b.accountIndex];
  for (const [balances, sign] of [
    [meta.preTokenBalances ?? [], -1n],
    [meta.postTokenBalances ?? [], 1n],
  ] as const) {
    for (const b of balances) {
      if (ownerOf(b) !== wallet) continue;
      decimals.set(b.mint, b.uiTokenAmount.decimals);
      add(b.mint, sign * BigInt(b.uiTokenAmount.amount));
    }
  }
  const index = keys.indexOf(wallet);
  const feeLamports = index === 0 ? BigInt(meta.fee) : 0n;
  if (index >= 0) {
    const lamports = BigInt(meta.postBalances[index] ?? 0) - BigInt(meta.preBalances[index] ?? 0);
    add(nativeMint, lamports + feeLamports);
  }
  return { slot: tx.slot, err: meta.err, feeLamports, deltas, decimals };
}
