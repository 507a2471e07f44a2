import { z } from 'zod';
import bs58 from 'bs58';
import { Keypair } from '@solana/web3.js';
import { JupiterRejectedError } from './jupiter.client';
import { SOL_MINT, USDC_MINT } from '@atc/simulator';
import { checkSignature, sendAndConfirm, type PendingTransaction } from './solana-confirm';
import { keypairFromSecret, signTransaction } from './solana-signer';
import { startHarness, type SimHarness } from '@atc/simulator/testing';
import { VenueRejectedError } from './venue';

describe('Jupiter and Solana RPC against the simulator', () => {
  let h: SimHarness;
  const wallet = Keypair.generate();
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  /** Resend pacing in tests: each "2 s wait" advances the simulated chain instead. */
  const chainSleep = (ticks: number) => () => h.advance(ticks);

  async function signedSwap(amount: string, slippageBps = 100): Promise<PendingTransaction> {
    const quote = await h.clients.jupiter.quote({
      inputMint: SOL_MINT,
      outputMint: USDC_MINT,
      amount,
      slippageBps,
    });
    expect(typeof quote.outAmount).toBe('string');
    const swap = await h.clients.jupiter.swap(quote, wallet.publicKey.toBase58(), {
      prioritizationFeeLamports: 5_000,
    });
    const signed = signTransaction(swap.swapTransaction, wallet);
    return { ...signed, lastValidBlockHeight: swap.lastValidBlockHeight };
  }

  const solBalance = async () =>
    h.clients.solana.getBalance(wallet.publicKey.toBase58()).then((value) => ({ value }));

  it('quotes with string amounts, swaps, signs, persists before sending, and confirms', async () => {
    const before = (await solBalance()).value;
    const tx = await signedSwap('230000000');
    const events: string[] = [];
    const outcome = await sendAndConfirm({
      rpc: h.clients.solana,
      transaction: tx,
      persist: async (record) => {
        expect(record.signature).toBe(tx.signature);
        // Nothing has reached the chain when the record is persisted.
        expect((await h.journal()).filter((e) => e.venue === 'solana')).toHaveLength(0);
        events.push('persisted');
      },
      // Polled only at each resend, so the stored bytes go out twice before the status shows it landed.
      pollIntervalMs: 2_000,
      sleep: chainSleep(1),
    });
    expect(outcome.state).toBe('confirmed');
    expect(events).toEqual(['persisted']);
    // The same bytes were sent twice; the chain de-duplicated by signature and executed once.
    const sends = (await h.journal()).filter((e) => e.clientOrderId === tx.signature).map((e) => e.outcome);
    expect(sends).toEqual(['accepted', 'duplicate']);
    // The swap's input and the transaction fee (10,000 lamports) left the wallet.
    expect(before - (await solBalance()).value).toBe(230_010_000);
  });

  it('polls the status every slot between resends: a transaction that lands is seen before the next resend', async () => {
    const tx = await signedSwap('1000000');
    const pauses: number[] = [];
    const outcome = await sendAndConfirm({
      rpc: h.clients.solana,
      transaction: tx,
      persist: () => Promise.resolve(),
      // The chain stays still for two polls, then moves (the transaction lands a tick after its send).
      sleep: async (ms) => {
        pauses.push(ms);
        if (pauses.length === 3) await h.advance(1);
      },
    });
    expect(outcome.state).toBe('confirmed');
    // Three 400 ms polls inside one 2 s resend interval: seen landed after 1.2 s, sent once.
    expect(pauses).toEqual([400, 400, 400]);
    const sends = (await h.journal()).filter((e) => e.clientOrderId === tx.signature);
    expect(sends.map((e) => e.outcome)).toEqual(['accepted']);
  });

  it('resends every resendIntervalMs while it polls', async () => {
    const tx = await signedSwap('1000000');
    let pauses = 0;
    const outcome = await sendAndConfirm({
      rpc: h.clients.solana,
      transaction: tx,
      persist: () => Promise.resolve(),
      resendIntervalMs: 1_000,
      pollIntervalMs: 250,
      // Still for nine polls: the bytes go out at polls 0, 4 and 8 (every four polls of 250 ms).
      sleep: async () => {
        pauses += 1;
        if (pauses === 9) await h.advance(1);
      },
    });
    expect(outcome.state).toBe('confirmed');
    const sends = (await h.journal()).filter((e) => e.clientOrderId === tx.signature);
    expect(sends.map((e) => e.outcome)).toEqual(['accepted', 'duplicate', 'duplicate']);
  });

  it('declares a dropped transaction dead only after its blockhash expired and history shows nothing', async () => {
    await h.addFault({ endpoint: 'solana.drop_transaction', failNext: 1 });
    const tx = await signedSwap('1000000');
    const heights: number[] = [];
    const outcome = await sendAndConfirm({
      rpc: h.clients.solana,
      transaction: tx,
      persist: () => Promise.resolve(),
      sleep: async () => {
        heights.push(await h.clients.solana.getBlockHeight());
        expect(await checkSignature(h.clients.solana, tx)).toEqual({ state: 'pending' });
        await h.advance(40);
      },
    });
    expect(outcome).toEqual({ state: 'expired' });
    expect(Math.max(...heights)).toBeLessThanOrEqual(tx.lastValidBlockHeight);
    expect(await h.clients.solana.getBlockHeight()).toBeGreaterThan(tx.lastValidBlockHeight);
  });

  it('reports a landed-but-failed transaction as failed on-chain', async () => {
    const tx = await signedSwap('5000000000000'); // 5,000 SOL: more than the wallet holds
    const outcome = await sendAndConfirm({
      rpc: h.clients.solana,
      transaction: tx,
      persist: () => Promise.resolve(),
      sleep: chainSleep(1),
    });
    expect(outcome).toMatchObject({ state: 'failed', err: { InstructionError: [0, { Custom: 1 }] } });
  });

  it('refuses a tampered signature and an expired blockhash at preflight', async () => {
    const tx = await signedSwap('1000000');
    const bytes = Buffer.from(tx.base64, 'base64');
    bytes[10] = bytes[10]! ^ 0xff; // inside the first signature
    await expect(h.clients.solana.sendTransaction(bytes.toString('base64'))).rejects.toMatchObject({
      rpcCode: -32003,
    });
    await h.advance(151);
    await expect(h.clients.solana.sendTransaction(tx.base64)).rejects.toMatchObject({
      isBlockhashNotFound: true,
    });
  });

  it('serves getTransaction in the wire format: null until landed, then balances before and after with the fee', async () => {
    const tx = await signedSwap('230000000');
    expect(await h.clients.solana.getTransaction(tx.signature)).toBeNull();
    await h.clients.solana.sendTransaction(tx.base64);
    await h.advance(1);
    const landed = (await h.clients.solana.getTransaction(tx.signature))!;
    expect(landed.meta).toMatchObject({ err: null, fee: 10_000 });
    expect(landed.transaction.signatures).toEqual([tx.signature]);
    const owner = wallet.publicKey.toBase58();
    expect(landed.transaction.message.accountKeys[0]).toBe(owner);
    expect(landed.meta.preBalances[0]! - landed.meta.postBalances[0]!).toBe(230_010_000);
    const usdc = (balances: typeof landed.meta.postTokenBalances) =>
      BigInt(balances!.find((b) => b.mint === USDC_MINT && b.owner === owner)!.uiTokenAmount.amount);
    expect(usdc(landed.meta.postTokenBalances) > usdc(landed.meta.preTokenBalances)).toBe(true);

    // The real node's refusals: a version-0 transaction needs maxSupportedTransactionVersion; base64 is not served.
    const raw = (params: unknown[]) => h.clients.solana.call('getTransaction', params, z.unknown());
    await expect(raw([tx.signature, { encoding: 'json' }])).rejects.toMatchObject({ rpcCode: -32015 });
    await expect(
      raw([tx.signature, { encoding: 'base64', maxSupportedTransactionVersion: 0 }]),
    ).rejects.toMatchObject({ rpcCode: -32602 });
    const parsed = (await raw([
      tx.signature,
      { encoding: 'jsonParsed', maxSupportedTransactionVersion: 0 },
    ])) as {
      transaction: { message: { accountKeys: unknown[] } };
    };
    expect(parsed.transaction.message.accountKeys[0]).toEqual({
      pubkey: owner,
      signer: true,
      writable: true,
      source: 'transaction',
    });
  });

  it('maps no route to a business rejection and a malformed request to a different one', async () => {
    const error = (await h.clients.jupiter
      .quote({ inputMint: SOL_MINT, outputMint: SOL_MINT, amount: '1', slippageBps: 50 })
      .catch((e: unknown) => e)) as VenueRejectedError;
    expect(error).toBeInstanceOf(VenueRejectedError);
    expect(error.reason).toContain('COULD_NOT_FIND_ANY_ROUTE');
    const malformed = (await h.clients.jupiter
      .quote({ inputMint: SOL_MINT, outputMint: USDC_MINT, amount: '-5', slippageBps: 50 })
      .catch((e: unknown) => e)) as VenueRejectedError;
    expect(malformed.reason).toMatch(/^malformed request/);
    expect(JupiterRejectedError).toBeDefined();
  });

  it('prices v3 keyed by mint, omitting unknown tokens, and needs x-api-key', async () => {
    const prices = await h.clients.jupiter.prices([SOL_MINT, USDC_MINT, '11111111111111111111111111111111']);
    expect(Object.keys(prices).sort()).toEqual([USDC_MINT, SOL_MINT].sort());
    expect(prices[SOL_MINT]?.decimals).toBe(9);
    expect((await fetch(`${h.sim.url}/jupiter/price/v3?ids=${SOL_MINT}`)).status).toBe(401);
  });

  it('loads a keypair from a JSON byte array or base58, and never echoes a bad secret', () => {
    const fromJson = keypairFromSecret(JSON.stringify([...wallet.secretKey]));
    const fromBase58 = keypairFromSecret(bs58.encode(wallet.secretKey));
    expect(fromJson.publicKey.toBase58()).toBe(wallet.publicKey.toBase58());
    expect(fromBase58.publicKey.toBase58()).toBe(wallet.publicKey.toBase58());
    const secret = 'definitely-not-a-key-but-secret-ish';
    expect(() => keypairFromSecret(secret)).toThrow(/64-byte JSON array or base58/);
    try {
      keypairFromSecret(secret);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(secret);
    }
  });
});
