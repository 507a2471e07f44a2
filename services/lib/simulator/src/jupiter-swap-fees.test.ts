/**
 * The simulated Jupiter swap builds the requested priority fee into the transaction (ComputeBudget
 * instructions), so swaps that differ only in their fee are different bytes and signatures, and the
 * simulated chain charges each what it asked for. Over the wire, as a client sees it.
 * @module
 */
import { ComputeBudgetProgram, Keypair, VersionedTransaction } from '@solana/web3.js';
import { startSimulator, type RunningSimulator } from './simulator';
import { SOL_MINT, USDC_MINT } from './instruments';

describe('simulated Jupiter swap: the priority fee is part of the transaction', () => {
  let sim: RunningSimulator;
  const wallet = Keypair.generate();
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, seed: 42 });
  });
  afterEach(() => sim.close());

  const jupiter = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.url}/jupiter${path}`, {
      ...init,
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
    });
  const rpc = async (method: string, params: unknown[]) =>
    (
      (await (
        await fetch(`${sim.url}/solana`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
        })
      ).json()) as { result: unknown }
    ).result;

  async function swapWithFee(prioritizationFeeLamports: unknown) {
    const quote: unknown = await (
      await jupiter(`/swap/v1/quote?inputMint=${SOL_MINT}&outputMint=${USDC_MINT}&amount=100000000`)
    ).json();
    return jupiter('/swap/v1/swap', {
      method: 'POST',
      body: JSON.stringify({
        quoteResponse: quote,
        userPublicKey: wallet.publicKey.toBase58(),
        prioritizationFeeLamports,
      }),
    });
  }
  const swapBytes = async (fee: unknown) => {
    const res = await swapWithFee(fee);
    expect(res.status).toBe(200);
    return (await res.json()) as { swapTransaction: string; prioritizationFeeLamports: number };
  };

  it('builds different bytes for a different fee in the same blockhash, the same bytes for the same fee', async () => {
    const first = await swapBytes(5_000);
    const again = await swapBytes(5_000);
    const other = await swapBytes(5_001);
    expect(again.swapTransaction).toBe(first.swapTransaction);
    expect(other.swapTransaction).not.toBe(first.swapTransaction);
    expect([first.prioritizationFeeLamports, other.prioritizationFeeLamports]).toEqual([5_000, 5_001]);

    const [a, b] = [first, other].map((s) =>
      VersionedTransaction.deserialize(Buffer.from(s.swapTransaction, 'base64')),
    );
    // Same blockhash: only the compute unit price differs.
    expect(a!.message.recentBlockhash).toBe(b!.message.recentBlockhash);
    const budget = (tx: VersionedTransaction) =>
      tx.message.compiledInstructions.filter((i) =>
        tx.message.staticAccountKeys[i.programIdIndex]!.equals(ComputeBudgetProgram.programId),
      );
    expect(budget(a!)).toHaveLength(2);
    expect(Buffer.from(budget(a!)[1]!.data)).not.toEqual(Buffer.from(budget(b!)[1]!.data));
  });

  it('charges each landed transaction 5,000 lamports per signature plus the priority fee it set', async () => {
    const fees = [5_000, 5_999];
    const signatures: string[] = [];
    for (const fee of fees) {
      const tx = VersionedTransaction.deserialize(
        Buffer.from((await swapBytes(fee)).swapTransaction, 'base64'),
      );
      tx.sign([wallet]);
      const encoded = Buffer.from(tx.serialize()).toString('base64');
      signatures.push((await rpc('sendTransaction', [encoded, { encoding: 'base64' }])) as string);
    }
    expect(new Set(signatures).size).toBe(2);
    await fetch(`${sim.url}/_sim/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticks: 1 }),
    });
    const charged = [];
    for (const signature of signatures) {
      const landed = (await rpc('getTransaction', [
        signature,
        { encoding: 'json', maxSupportedTransactionVersion: 0 },
      ])) as { meta: { fee: number; err: unknown } };
      charged.push(landed.meta.fee);
    }
    expect(charged).toEqual([10_000, 10_999]);
  });

  it('takes "auto" and a capped priority level as the going rate, and refuses a fee that is not one', async () => {
    expect((await swapBytes('auto')).prioritizationFeeLamports).toBe(5_000);
    expect((await swapBytes(undefined)).prioritizationFeeLamports).toBe(5_000);
    const capped = { priorityLevelWithMaxLamports: { priorityLevel: 'high', maxLamports: 1_200 } };
    expect((await swapBytes(capped)).prioritizationFeeLamports).toBe(1_200);
    for (const bad of [-1, 1.5, 'fast', { jitoTipLamports: 'x' }]) {
      const res = await swapWithFee(bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/prioritizationFeeLamports/);
    }
  });
});
