/**
 * The simulated chain behind `/solana` and Jupiter's swap: blockhashes that expire 150 blocks after
 * they are issued, transactions de-duplicated by their first signature, landing a tick after they
 * are sent (if their blockhash is still valid), and token balances per owner in base units. A landed
 * transaction pays its fee in lamports (also when it fails; per signature plus the priority fee its
 * ComputeBudget instructions set, see `solana-fees.ts`), swaps at the price of its landing slot
 * (not the quote's) and keeps the owner's balances before and after, for `getTransaction`.
 * @module
 */
import { createPublicKey, verify } from 'node:crypto';
import bs58 from 'bs58';
import {
  PublicKey,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
  type MessageCompiledInstruction,
} from '@solana/web3.js';
import { instrument, SOL_MINT, tokenByMint } from './instruments';
import { seededBytes } from './seeded-random';
import type { SimContext } from './sim-context';
import { computeBudgetInstructions, isComputeBudgetProgram, transactionFeeLamports } from './solana-fees';
import type { LandedRecord } from './solana-transactions';

export const JUPITER_PROGRAM_ID = new PublicKey('JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4');
export const BLOCKHASH_VALIDITY = 150;
const STARTING_BALANCES: Readonly<Record<string, bigint>> = {
  SOL: 1_000n * 10n ** 9n,
  USDC: 100_000n * 10n ** 6n,
};

export interface SwapPayload {
  readonly inputMint: string;
  readonly outputMint: string;
  readonly inAmount: string;
  readonly otherAmountThreshold: string;
}

export interface SimTransaction {
  readonly signature: string;
  readonly owner: string;
  readonly programId: string;
  readonly recentBlockhash: string;
  readonly instructionData: string;
  readonly swap: SwapPayload | undefined;
  /** Lamports the payer is charged when it lands: per signature plus its priority fee. */
  readonly fee: bigint;
  readonly blockhashHeight: number;
  readonly landAtTick: number;
  /** Dropped by an injected fault: it never lands, and expires with its blockhash. */
  readonly dropped: boolean;
  landedSlot: number | null;
  landedTick: number | null;
  err: unknown;
  /** Set when it lands: what `getTransaction` reports. */
  landed: LandedRecord | null;
}

export type SendResult =
  | { ok: true; signature: string; duplicate: boolean }
  | { ok: false; code: number; message: string; data?: unknown };

export class SolanaLedger {
  private readonly blockhashes = new Map<string, number>();
  private readonly transactions = new Map<string, SimTransaction>();
  private readonly balances = new Map<string, Map<string, bigint>>();

  constructor(private readonly ctx: SimContext) {
    ctx.clock.onTick((tick) => this.land(tick));
  }

  latestBlockhash(): { blockhash: string; lastValidBlockHeight: number } {
    const height = this.ctx.clock.blockHeight();
    const blockhash = bs58.encode(seededBytes(this.ctx.seed, `blockhash/${height}`, 32));
    this.blockhashes.set(blockhash, height);
    return { blockhash, lastValidBlockHeight: height + BLOCKHASH_VALIDITY };
  }

  /**
   * Builds Jupiter's unsigned swap transaction for `owner`: the ComputeBudget instructions that set
   * `priorityFeeLamports`, then the swap, carried in its instruction data.
   */
  buildSwapTransaction(
    owner: PublicKey,
    swap: SwapPayload,
    priorityFeeLamports: number,
  ): { base64: string; lastValidBlockHeight: number } {
    const { blockhash, lastValidBlockHeight } = this.latestBlockhash();
    const message = new TransactionMessage({
      payerKey: owner,
      recentBlockhash: blockhash,
      instructions: [
        ...computeBudgetInstructions(priorityFeeLamports),
        new TransactionInstruction({
          programId: JUPITER_PROGRAM_ID,
          keys: [{ pubkey: owner, isSigner: true, isWritable: true }],
          data: Buffer.from(JSON.stringify(swap)),
        }),
      ],
    }).compileToV0Message();
    const tx = new VersionedTransaction(message);
    return { base64: Buffer.from(tx.serialize()).toString('base64'), lastValidBlockHeight };
  }

  send(base64: string, skipPreflight: boolean, drop: boolean): SendResult {
    let tx: VersionedTransaction;
    try {
      tx = VersionedTransaction.deserialize(Buffer.from(base64, 'base64'));
    } catch {
      return { ok: false, code: -32602, message: 'invalid transaction: failed to deserialize' };
    }
    const signatureBytes = tx.signatures[0];
    const owner = tx.message.staticAccountKeys[0];
    if (!signatureBytes || !owner || !verifySignature(owner, tx.message.serialize(), signatureBytes)) {
      return { ok: false, code: -32003, message: 'Transaction signature verification failure' };
    }
    const signature = bs58.encode(signatureBytes);
    if (this.transactions.has(signature)) return { ok: true, signature, duplicate: true };
    const height = this.blockhashes.get(tx.message.recentBlockhash);
    const expired = height === undefined || this.ctx.clock.blockHeight() > height + BLOCKHASH_VALIDITY;
    if (expired && !skipPreflight) {
      return {
        ok: false,
        code: -32002,
        message: 'Transaction simulation failed: Blockhash not found',
        data: { err: 'BlockhashNotFound', logs: [], accounts: null, unitsConsumed: 0, returnData: null },
      };
    }
    const instruction = mainInstruction(tx);
    this.transactions.set(signature, {
      signature,
      owner: owner.toBase58(),
      programId: (instruction && tx.message.staticAccountKeys[instruction.programIdIndex]?.toBase58()) ?? '',
      recentBlockhash: tx.message.recentBlockhash,
      instructionData: instruction ? Buffer.from(instruction.data).toString('utf8') : '',
      swap: decodeSwap(tx),
      fee: transactionFeeLamports(tx),
      blockhashHeight: height ?? -1_000_000,
      landAtTick: this.ctx.clock.tick + this.ctx.solanaLandingTicks,
      dropped: drop || expired,
      landedSlot: null,
      landedTick: null,
      err: null,
      landed: null,
    });
    return { ok: true, signature, duplicate: false };
  }

  status(signature: string): SimTransaction | undefined {
    const tx = this.transactions.get(signature);
    return tx && tx.landedTick !== null ? tx : undefined;
  }

  balancesOf(owner: string): Map<string, bigint> {
    let map = this.balances.get(owner);
    if (!map) {
      map = new Map(
        Object.entries(STARTING_BALANCES).map(([symbol, amount]) => [instrument(symbol)!.mint!, amount]),
      );
      this.balances.set(owner, map);
    }
    return map;
  }

  private land(tick: number): void {
    for (const tx of this.transactions.values()) {
      if (tx.landedTick !== null || tx.dropped || tick < tx.landAtTick) continue;
      if (this.ctx.clock.blockHeight() > tx.blockhashHeight + BLOCKHASH_VALIDITY) continue;
      tx.landedTick = tick;
      tx.landedSlot = this.ctx.clock.slot();
      const balances = this.balancesOf(tx.owner);
      const mints = tx.swap ? [tx.swap.inputMint, tx.swap.outputMint] : [];
      const before = snapshot(balances, mints);
      // The fee payer pays whether or not the instruction succeeds.
      balances.set(SOL_MINT, (balances.get(SOL_MINT) ?? 0n) - tx.fee);
      tx.err = tx.swap ? this.executeSwap(tx.owner, tx.swap) : null;
      tx.landed = {
        signature: tx.signature,
        owner: tx.owner,
        programId: tx.programId,
        recentBlockhash: tx.recentBlockhash,
        instructionData: tx.instructionData,
        slot: tx.landedSlot,
        blockTimeSeconds: Math.floor(this.ctx.clock.nowMs() / 1000),
        err: tx.err,
        fee: tx.fee,
        mints,
        before,
        after: snapshot(balances, mints),
      };
    }
  }

  /** Fills at the price of the landing tick; below the quote's threshold it fails like Jupiter's 0x1771. */
  private executeSwap(owner: string, swap: SwapPayload): unknown {
    const out = swapOutAmount(this.ctx, swap.inputMint, swap.outputMint, BigInt(swap.inAmount));
    const balances = this.balancesOf(owner);
    const have = balances.get(swap.inputMint) ?? 0n;
    if (out === undefined) return { InstructionError: [0, { Custom: 6000 }] };
    if (have < BigInt(swap.inAmount)) return { InstructionError: [0, { Custom: 1 }] };
    if (out < BigInt(swap.otherAmountThreshold)) return { InstructionError: [0, { Custom: 6001 }] };
    balances.set(swap.inputMint, have - BigInt(swap.inAmount));
    balances.set(swap.outputMint, (balances.get(swap.outputMint) ?? 0n) + out);
    return null;
  }
}

function snapshot(balances: Map<string, bigint>, mints: readonly string[]): Map<string, bigint> {
  const taken = new Map<string, bigint>();
  for (const mint of [SOL_MINT, ...mints]) {
    const amount = balances.get(mint);
    if (amount !== undefined) taken.set(mint, amount);
  }
  return taken;
}

/** What `inAmount` base units of one token buy of another at the current model price, after a 5 bps fee. */
export function swapOutAmount(
  ctx: SimContext,
  inputMint: string,
  outputMint: string,
  inAmount: bigint,
): bigint | undefined {
  const input = tokenByMint(inputMint);
  const output = tokenByMint(outputMint);
  if (!input || !output || input === output) return undefined;
  const usd = (Number(inAmount) / 10 ** input.decimals!) * ctx.market.price(input.symbol);
  const impact = Math.min(0.05, usd / 50_000_000);
  const out = (usd / ctx.market.price(output.symbol)) * (1 - 0.0005 - impact) * 10 ** output.decimals!;
  return BigInt(Math.floor(out));
}

export function priceImpact(ctx: SimContext, inputMint: string, inAmount: bigint): number {
  const input = tokenByMint(inputMint)!;
  return Math.min(
    0.05,
    ((Number(inAmount) / 10 ** input.decimals!) * ctx.market.price(input.symbol)) / 50_000_000,
  );
}

/** The instruction that does the work: the first one that is not a ComputeBudget setting. */
function mainInstruction(tx: VersionedTransaction): MessageCompiledInstruction | undefined {
  const keys = tx.message.staticAccountKeys;
  return tx.message.compiledInstructions.find((i) => !isComputeBudgetProgram(keys[i.programIdIndex]));
}

function decodeSwap(tx: VersionedTransaction): SwapPayload | undefined {
  const instruction = mainInstruction(tx);
  if (!instruction) return undefined;
  try {
    return JSON.parse(Buffer.from(instruction.data).toString('utf8')) as SwapPayload;
  } catch {
    return undefined;
  }
}

/** ed25519 verification with node:crypto, from the raw 32-byte key via JWK. */
function verifySignature(owner: PublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(owner.toBytes()).toString('base64url') },
    format: 'jwk',
  });
  return verify(null, message, key, signature);
}
