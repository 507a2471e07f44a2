import { OutcomeUnknownError, VenueResponseError } from '@atc/platform';
import { JupiterClient } from './jupiter.client';
import { SolanaRpcClient } from './solana-rpc.client';
import { serveBodies, type FixedBodyServer } from './testing/fixed-body-server';

/** Jupiter and a Solana node that changed their formats: every call names the field. */
describe('Jupiter and Solana RPC clients: every response goes through a schema', () => {
  let server: FixedBodyServer;
  afterEach(() => server.close());

  async function start(body: (path: string) => unknown): Promise<void> {
    server = await serveBodies(body);
  }

  it('names the Jupiter quote, swap and price field that changed', async () => {
    await start((path) =>
      path.endsWith('/quote')
        ? { inputMint: 'a', inAmount: 100, outputMint: 'b', outAmount: '1', otherAmountThreshold: '1' }
        : path.endsWith('/swap')
          ? { swapTransaction: 'AA==', simulationError: null }
          : { mintA: { usdPrice: '1.0', decimals: 6, blockId: null, priceChange24h: null } },
    );
    const jupiter = new JupiterClient({ http: server.http('jupiter'), apiKey: 'k' });
    const request = { inputMint: 'a', outputMint: 'b', amount: '100', slippageBps: 50 };
    const quote = await jupiter.quote(request).catch((e: unknown) => e);
    expect(quote).toBeInstanceOf(VenueResponseError);
    expect((quote as Error).message).toMatch(/^jupiter quote answered an unexpected body: inAmount: /);
    await expect(jupiter.swap({} as never, 'owner', { prioritizationFeeLamports: 5_000 })).rejects.toThrow(
      /^jupiter swap answered an unexpected body: lastValidBlockHeight: /,
    );
    await expect(jupiter.prices(['mintA'])).rejects.toThrow(
      /^jupiter price answered an unexpected body: mintA\.usdPrice: /,
    );
  });

  it('names the Solana result field that changed, on reads', async () => {
    await start(() => ({
      jsonrpc: '2.0',
      id: 1,
      result: { value: { blockhash: 7, lastValidBlockHeight: 1 } },
    }));
    const solana = new SolanaRpcClient({ http: server.http('solana') });
    const error = await solana.getLatestBlockhash().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VenueResponseError);
    expect((error as Error).message).toMatch(
      /^solana getLatestBlockhash answered an unexpected body: value\.blockhash: /,
    );
    await expect(solana.getSignatureStatuses(['sig'])).rejects.toThrow(
      /^solana getSignatureStatuses .*: value: /,
    );
  });

  it('leaves a sendTransaction whose answer cannot be read unknown, and names a broken envelope', async () => {
    await start(() => ({ jsonrpc: '2.0', id: 1, result: 12 }));
    const solana = new SolanaRpcClient({ http: server.http('solana') });
    const sent = await solana.sendTransaction('AA==').catch((e: unknown) => e);
    expect(sent).toBeInstanceOf(OutcomeUnknownError);
    expect(((sent as Error).cause as Error).message).toMatch(
      /^solana sendTransaction answered an unexpected body: \(body\): /,
    );
    await server.close();
    await start(() => ({ jsonrpc: '2.0', id: 1, error: { code: 'x' } }));
    const broken = new SolanaRpcClient({ http: server.http('solana') });
    await expect(broken.getBlockHeight()).rejects.toThrow(/^solana getBlockHeight .*: error\.code: /);
  });
});
