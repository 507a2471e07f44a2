/**
 * A mainnet-shaped Jupiter swap (USDC → SOL, wrapped and unwrapped in the transaction): the wallet's
 * USDC account by owner, a token account reached through an address lookup table, and the fee paid
 * by the wallet as the first account.
 * @module
 */
import { solanaTransactionSchema, walletBalanceChanges } from './solana-transaction';

const WALLET = 'Wa11et1111111111111111111111111111111111111';
const OTHER = 'Poo1111111111111111111111111111111111111111';
const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const SOL = 'So11111111111111111111111111111111111111112';
const JUP = 'JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN';

const tx = solanaTransactionSchema.parse({
  slot: 389_120_001,
  blockTime: 1_764_513_001,
  meta: {
    err: null,
    fee: 15_000,
    preBalances: [2_000_000_000, 2_039_280, 2_039_280],
    postBalances: [2_999_985_000, 2_039_280, 2_039_280],
    preTokenBalances: [
      { accountIndex: 1, mint: USDC, owner: WALLET, uiTokenAmount: { amount: '500000000', decimals: 6 } },
      { accountIndex: 2, mint: USDC, owner: OTHER, uiTokenAmount: { amount: '9000000000', decimals: 6 } },
    ],
    postTokenBalances: [
      { accountIndex: 1, mint: USDC, owner: WALLET, uiTokenAmount: { amount: '349000000', decimals: 6 } },
      { accountIndex: 2, mint: USDC, owner: OTHER, uiTokenAmount: { amount: '9151000000', decimals: 6 } },
      // Owner omitted: found through the lookup table's address at index 3.
      { accountIndex: 3, mint: JUP, uiTokenAmount: { amount: '1000', decimals: 6 } },
    ],
    loadedAddresses: { writable: [WALLET], readonly: [] },
  },
  transaction: { signatures: ['sig'], message: { accountKeys: [WALLET, 'ata1', 'ata2'] } },
});

describe('walletBalanceChanges', () => {
  it("takes the wallet's token changes by owner and its SOL change net of the fee it paid", () => {
    const changes = walletBalanceChanges(tx, WALLET, SOL);
    expect(changes.feeLamports).toBe(15_000n);
    expect(changes.deltas.get(USDC)).toBe(-151_000_000n);
    // 0.999985 SOL more in lamports, plus the 15,000-lamport fee: the swap delivered exactly 1 SOL.
    expect(changes.deltas.get(SOL)).toBe(1_000_000_000n);
    expect(changes.deltas.get(JUP)).toBe(1_000n);
    expect(changes.decimals.get(USDC)).toBe(6);
  });

  it('charges no fee to a wallet that did not pay it, and sees nothing of other owners', () => {
    const changes = walletBalanceChanges(tx, OTHER, SOL);
    expect(changes.feeLamports).toBe(0n);
    expect(changes.deltas.get(USDC)).toBe(151_000_000n);
    expect(changes.deltas.has(SOL)).toBe(false);
  });
});
