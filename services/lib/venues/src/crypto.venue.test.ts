/**
 * The crypto venue against the real simulator over HTTP. The simulated chain only moves when a test
 * advances it: confirmation "waits" are injected sleeps that advance it (fake time, never sleep).
 * @module
 */
import Decimal from 'decimal.js';
import { OutcomeUnknownError } from '@atc/platform';
import { JupiterSolanaCryptoVenue, type JupiterSolanaCryptoVenueOptions } from './crypto.venue';
import { DEFAULT_PRIORITY_FEE_LAMPORTS, orderPriorityFeeLamports } from './jupiter-priority-fee';
import { createMarketVenues } from './market-venues';
import { InMemorySignatureStore, SignatureTakenError, type SwapOrderRecord } from './signature-store';
import { INSTRUMENTS, SOL_MINT, USDC_MINT } from '@atc/simulator';
import { startHarness, type SimHarness } from '@atc/simulator/testing';
import { VenueRejectedError, VenueUnavailableError, type OrderIntent } from './venue';

const intent = (overrides: Partial<OrderIntent> = {}): OrderIntent => ({
  clientOrderId: 'c-1',
  market: 'crypto',
  instrument: SOL_MINT,
  side: 'buy',
  quantity: '2',
  orderType: 'market',
  slippageBps: 100,
  ...overrides,
});

const doNothing = () => Promise.resolve();
/** What the chain charges an order: one signature's 5,000 lamports plus the order's own priority fee. */
const feeLamports = (clientOrderId: string) =>
  5_000 + orderPriorityFeeLamports(DEFAULT_PRIORITY_FEE_LAMPORTS, clientOrderId);
const solFee = (clientOrderId: string) => new Decimal(feeLamports(clientOrderId)).div(1e9).toString();
/** Two client order ids that draw the same priority fee offset (about 1 pair in 1,000). */
function twinIds(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i += 1) {
    const id = `c-twin-${i}`;
    const fee = orderPriorityFeeLamports(DEFAULT_PRIORITY_FEE_LAMPORTS, id);
    const other = seen.get(fee);
    if (other) return [other, id];
    seen.set(fee, id);
  }
}
const BONK_MINT = INSTRUMENTS.find((i) => i.symbol === 'BONK')!.mint!;
const JUP_MINT = INSTRUMENTS.find((i) => i.symbol === 'JUP')!.mint!;

describe('JupiterSolanaCryptoVenue against the simulator', () => {
  let h: SimHarness;
  let store: InMemorySignatureStore;
  beforeEach(async () => {
    h = await startHarness();
    store = new InMemorySignatureStore();
  });
  afterEach(() => h.close());

  const venueWith = (options: Partial<JupiterSolanaCryptoVenueOptions> = {}) =>
    new JupiterSolanaCryptoVenue({
      jupiter: h.clients.jupiter,
      solana: h.clients.solana,
      wallet: h.clients.wallet,
      store,
      quoteMint: USDC_MINT,
      // Each resend pause lets one block pass on the simulated chain; transactions land a tick after send.
      sleep: () => h.advance(1),
      ...options,
    });

  const solanaSends = async () => (await h.journal()).filter((e) => e.venue === 'solana');
  const positionOf = async (venue: JupiterSolanaCryptoVenue, mint: string) =>
    (await venue.getPositions()).find((p) => p.instrument === mint)?.quantity ?? '0';
  const lamports = async () => h.clients.solana.getBalance(h.clients.wallet.publicKey.toBase58());

  it('buys about the requested quantity, persisting the signature before the first send', async () => {
    const persistedBeforeSend: boolean[] = [];
    const save = store.save.bind(store);
    store.save = async (record: SwapOrderRecord) => {
      persistedBeforeSend.push((await solanaSends()).length === 0);
      return save(record);
    };
    const venue = venueWith();
    const order = await venue.submitOrder(intent());

    expect(persistedBeforeSend).toEqual([true]);
    expect(order).toMatchObject({ clientOrderId: 'c-1', status: 'filled', side: 'buy', quantity: '2' });
    expect(order.venueOrderId).toBe(store.all()[0]?.signature);
    const filled = new Decimal(order.filledQuantity);
    // The chain settles at the landing block's price, within the 100 bps the quote allowed.
    expect(filled.minus(2).abs().toNumber()).toBeLessThan(0.02);
    expect(new Decimal(order.averagePrice!).toNumber()).toBeGreaterThan(100);
    // SOL is cash (it pays the fees), never a position; the wallet's lamports moved by the fill and the fee.
    expect((await venue.getPositions()).map((p) => p.instrument)).toEqual([]);
    expect(new Decimal(await lamports()).div(1e9).toFixed()).toBe(
      filled.plus(1_000).minus(solFee('c-1')).toFixed(),
    );
    const accepted = (await solanaSends()).filter((e) => e.outcome === 'accepted');
    expect(accepted.map((e) => e.clientOrderId)).toEqual([order.venueOrderId]);
  });

  it('books the fill from the confirmed transaction, not the quote: ledger quantity = wallet, exactly', async () => {
    const venue = venueWith();
    const order = await venue.submitOrder(
      intent({ clientOrderId: 'c-bonk', instrument: BONK_MINT, quantity: '5000000', slippageBps: 300 }),
    );
    const record = store.all()[0]!;
    expect(order.status).toBe('filled');
    // What the wallet holds is exactly what the fill says, to the token's last decimal.
    expect(order.filledQuantity).toBe(new Decimal(await positionOf(venue, BONK_MINT)).toFixed());
    // The quote is only the expected price; the swap landed a slot later at that slot's price.
    expect(order.expectedPrice).toBe(
      new Decimal(record.inAmount)
        .div(1e6)
        .div(new Decimal(record.outAmount).div(1e5))
        .toSignificantDigits(12)
        .toString(),
    );
    expect(order.filledQuantity).not.toBe(new Decimal(record.outAmount).div(1e5).toFixed());
    expect(order.averagePrice).not.toBe(order.expectedPrice);
    expect(order.fee).toEqual({ currency: 'SOL', amount: solFee('c-bonk') });

    // A second buy of the same token adds exactly what its transaction delivered.
    const second = await venue.submitOrder(
      intent({ clientOrderId: 'c-jup', instrument: JUP_MINT, quantity: '120.5', slippageBps: 300 }),
    );
    expect(second.filledQuantity).toBe(new Decimal(await positionOf(venue, JUP_MINT)).toFixed());
    expect(await venue.lookupOrder('c-jup')).toEqual({ state: 'found', order: second });
  });

  it('sells exactly the requested quantity for what the chain paid out', async () => {
    const venue = venueWith();
    const usdc = async () =>
      (
        await h.clients.solana.getTokenAccountsByOwner(
          h.clients.wallet.publicKey.toBase58(),
          'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
        )
      ).find((a) => a.account.data.parsed.info.mint === USDC_MINT)!.account.data.parsed.info.tokenAmount
        .amount;
    const before = new Decimal(await usdc());
    const order = await venue.submitOrder(intent({ clientOrderId: 'c-sell', side: 'sell', quantity: '1.5' }));
    expect(order).toMatchObject({ status: 'filled', filledQuantity: '1.5', side: 'sell' });
    const record = store.all()[0]!;
    expect(record).toMatchObject({ inputMint: SOL_MINT, outputMint: USDC_MINT, inAmount: '1500000000' });
    const received = new Decimal(await usdc()).minus(before).div(1e6);
    expect(order.averagePrice).toBe(received.div('1.5').toSignificantDigits(12).toString());
    expect(await lamports()).toBe(1_000e9 - 1.5e9 - feeLamports('c-sell'));
    expect(await venue.lookupOrder('c-sell')).toEqual({ state: 'found', order });
  });

  /** Submits the orders together; the chain stays on one block until all are stored (or one is refused). */
  async function submitInOneBlock(intents: OrderIntent[]) {
    let release!: () => void;
    const allStored = new Promise<void>((resolve) => (release = resolve));
    const save = store.save.bind(store);
    store.save = async (record: SwapOrderRecord) => {
      try {
        return await save(record);
      } finally {
        if (store.all().length === intents.length) release();
      }
    };
    const venue = venueWith({
      sleep: async () => {
        await allStored;
        await h.advance(1);
      },
    });
    return Promise.all(
      intents.map((i) =>
        venue.submitOrder(i).catch((error: unknown) => {
          release();
          throw error;
        }),
      ),
    );
  }
  const sellOne = (clientOrderId: string) => intent({ clientOrderId, side: 'sell', quantity: '1' });

  it('gives two orders for the same pair and amount in one blockhash their own transactions: both stored, sent and filled', async () => {
    const [a, b] = await submitInOneBlock([sellOne('c-a'), sellOne('c-b')]);

    const records = store.all();
    expect(records.map((r) => r.clientOrderId).sort()).toEqual(['c-a', 'c-b']);
    expect(records[0]!.lastValidBlockHeight).toBe(records[1]!.lastValidBlockHeight);
    expect(records[0]!.inAmount).toBe(records[1]!.inAmount);
    expect(records[0]!.priorityFeeLamports).not.toBe(records[1]!.priorityFeeLamports);
    expect(a!.venueOrderId).not.toBe(b!.venueOrderId);
    expect([a!.status, b!.status]).toEqual(['filled', 'filled']);
    const accepted = (await solanaSends()).filter((e) => e.outcome === 'accepted');
    expect(accepted.map((e) => e.clientOrderId).sort()).toEqual([a!.venueOrderId, b!.venueOrderId].sort());

    // The same client order id again resumes its stored transaction: no new signature, no new send.
    const again = await venueWith().submitOrder(sellOne('c-a'));
    expect(again.venueOrderId).toBe(a!.venueOrderId);
    expect(store.all()).toHaveLength(2);
    expect((await solanaSends()).filter((e) => e.outcome === 'accepted')).toHaveLength(2);
  });

  it('swaps once more, a lamport higher, when two orders still drew the same fee: both filled at the first attempt', async () => {
    const [first, second] = twinIds();
    const fee = orderPriorityFeeLamports(DEFAULT_PRIORITY_FEE_LAMPORTS, first);
    const reports = await submitInOneBlock([sellOne(first), sellOne(second)]);

    expect(reports.map((r) => r.status)).toEqual(['filled', 'filled']);
    const records = store.all();
    expect(records.map((r) => r.priorityFeeLamports)).toEqual([fee, fee + 1]);
    expect(records[0]!.lastValidBlockHeight).toBe(records[1]!.lastValidBlockHeight);
    expect(new Set(records.map((r) => r.signature)).size).toBe(2);
    expect((await solanaSends()).filter((e) => e.outcome === 'accepted')).toHaveLength(2);
  });

  it("refuses, nothing sent, an order whose transaction stays another order's after the second swap (the last guard)", async () => {
    const first = await venueWith().submitOrder(sellOne('c-a'));
    const twin = { ...store.all()[0]!, clientOrderId: 'c-twin' };
    await expect(store.save(twin)).rejects.toBeInstanceOf(SignatureTakenError);

    const tried: (number | undefined)[] = [];
    const save = store.save.bind(store);
    store.save = (record: SwapOrderRecord) => {
      tried.push(record.priorityFeeLamports);
      return record.clientOrderId === 'c-b'
        ? Promise.reject(new SignatureTakenError(record.signature))
        : save(record);
    };
    const refused = (await venueWith()
      .submitOrder(sellOne('c-b'))
      .catch((e: unknown) => e)) as VenueUnavailableError;
    expect(refused).toBeInstanceOf(VenueUnavailableError);
    expect(refused.message).toMatch(/nothing sent: signature .* is already stored for another order/);
    const fee = orderPriorityFeeLamports(DEFAULT_PRIORITY_FEE_LAMPORTS, 'c-b');
    expect(tried).toEqual([fee, fee + 1]);
    expect(store.all().map((r) => r.signature)).toEqual([first.venueOrderId]);
    // Only the first order's transaction ever reached the chain (sent, then resent while confirming).
    expect(new Set((await solanaSends()).map((e) => e.clientOrderId))).toEqual(new Set([first.venueOrderId]));
  });

  it('after an accept-then-timeout on send, a lookup from another process finds the fill; no second transaction', async () => {
    await h.addFault({ endpoint: 'solana.sendTransaction', acceptThenTimeoutNext: 1 });
    // The chain does not move while this process waits: it gives up with the outcome unknown.
    const first = venueWith({ sleep: doNothing, maxConfirmRounds: 2 });
    await expect(first.submitOrder(intent())).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(await first.lookupOrder('c-1')).toMatchObject({ state: 'unknown' });

    await h.advance(1);
    const other = venueWith();
    const found = await other.lookupOrder('c-1');
    expect(found).toMatchObject({ state: 'found', order: { status: 'filled', clientOrderId: 'c-1' } });
    // Submitting the same id again resumes the stored transaction rather than signing a new one.
    const again = await other.submitOrder(intent());
    expect(found.state === 'found' && found.order.venueOrderId).toBe(again.venueOrderId);

    const sends = await solanaSends();
    // The reset send was processed, and the client's retry of the same bytes was de-duplicated.
    expect(sends.slice(0, 2).map((e) => e.outcome)).toEqual(['accepted', 'duplicate']);
    expect(new Set(sends.map((e) => e.clientOrderId))).toEqual(new Set([again.venueOrderId]));
    expect(sends.filter((e) => e.outcome === 'accepted')).toHaveLength(1);
    expect(store.all()).toHaveLength(1);
  });

  it('answers unknown until the blockhash expired, then absent; the dead transaction is never re-signed', async () => {
    await h.addFault({ endpoint: 'solana.drop_transaction', failNext: 1 });
    const venue = venueWith({ sleep: doNothing, maxConfirmRounds: 1 });
    await expect(venue.submitOrder(intent())).rejects.toBeInstanceOf(OutcomeUnknownError);
    const record = store.all()[0]!;

    await h.advance(100);
    expect(await venue.lookupOrder('c-1')).toMatchObject({ state: 'unknown' });
    expect(await h.clients.solana.getBlockHeight()).toBeLessThanOrEqual(record.lastValidBlockHeight);
    await h.advance(60);
    expect(await h.clients.solana.getBlockHeight()).toBeGreaterThan(record.lastValidBlockHeight);
    expect(await venue.lookupOrder('c-1')).toEqual({ state: 'absent' });

    // The same id again: proven dead, so retryable — but only under a new id, never a new signature here.
    await expect(venue.submitOrder(intent())).rejects.toBeInstanceOf(VenueUnavailableError);
    expect(store.all()).toEqual([record]);
    expect(new Set((await solanaSends()).map((e) => e.clientOrderId))).toEqual(new Set([record.signature]));
  });

  it('proves expiry itself when the chain moves while it waits: VenueUnavailableError, then absent', async () => {
    await h.addFault({ endpoint: 'solana.drop_transaction', failNext: 1 });
    const venue = venueWith({ sleep: () => h.advance(40) });
    const error = (await venue.submitOrder(intent()).catch((e: unknown) => e)) as VenueUnavailableError;
    expect(error).toBeInstanceOf(VenueUnavailableError);
    expect(error.message).toMatch(/expired without landing/);
    expect(await venue.lookupOrder('c-1')).toEqual({ state: 'absent' });
  });

  it('answers absent for an id that was never signed, and reports a transaction that failed on chain', async () => {
    const venue = venueWith();
    expect(await venue.lookupOrder('never-signed')).toEqual({ state: 'absent' });
    // 10,000 SOL costs far more USDC than the wallet holds: it lands, fails, pays fees, swaps nothing.
    const order = await venue.submitOrder(intent({ clientOrderId: 'c-big', quantity: '10000' }));
    expect(order).toMatchObject({ status: 'rejected', filledQuantity: '0' });
    expect(order.rejectReason).toMatch(/failed on chain.*Custom/);
    expect(await venue.lookupOrder('c-big')).toMatchObject({ state: 'found', order: { status: 'rejected' } });
    // It paid the transaction fee and swapped nothing.
    expect(order.fee).toEqual({ currency: 'SOL', amount: solFee('c-big') });
    expect(await lamports()).toBe(1_000e9 - feeLamports('c-big'));
  });

  it('refuses what it cannot trade before anything is signed', async () => {
    const venue = venueWith();
    const refused = [
      intent({ orderType: 'limit', limitPrice: '100' }),
      intent({ quantity: '0.0000000001' }), // finer than SOL's 9 decimals
      intent({ quantity: 'two' }),
      intent({ instrument: USDC_MINT }),
      intent({ slippageBps: 20_000 }),
      intent({ instrument: '11111111111111111111111111111111' }), // no decimals, no price
    ];
    for (const bad of refused)
      await expect(venue.submitOrder(bad)).rejects.toBeInstanceOf(VenueRejectedError);
    await expect(venue.cancelOrder('c-1')).rejects.toBeInstanceOf(VenueRejectedError);
    expect(store.all()).toHaveLength(0);
    expect(await solanaSends()).toHaveLength(0);
  });

  it('quotes from price v3 as decimal strings', async () => {
    const quote = await venueWith().getQuote(SOL_MINT);
    expect(quote.bid).toBe(quote.ask);
    expect(quote.last).toBe(quote.bid);
    expect(new Decimal(quote.last).gt(100)).toBe(true);
    await expect(venueWith().getQuote('11111111111111111111111111111111')).rejects.toBeInstanceOf(
      VenueRejectedError,
    );
  });

  it('is unavailable, with nothing signed or sent, when the connection is refused', async () => {
    await h.sim.close();
    const error = (await venueWith()
      .submitOrder(intent())
      .catch((e: unknown) => e)) as VenueUnavailableError;
    expect(error).toBeInstanceOf(VenueUnavailableError);
    expect(error.message).toMatch(/nothing sent/);
    expect(store.all()).toHaveLength(0);
  });

  it('builds one venue per market from the clients', () => {
    const venues = createMarketVenues(h.clients, { signatureStore: store });
    expect(Object.entries(venues).map(([market, v]) => [market, v.market, v.name])).toEqual([
      ['crypto', 'crypto', 'jupiter-solana'],
      ['options', 'options', 'tradier'],
      ['futures', 'futures', 'projectx'],
    ]);
  });
});

describe('JupiterSolanaCryptoVenue with an open breaker', () => {
  let h: SimHarness;
  beforeEach(async () => {
    // Only timers are faked (the breaker's reset); the sockets' callbacks keep running.
    jest.useFakeTimers({
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance'],
    });
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
    jest.useRealTimers();
  });

  it('is unavailable while Jupiter is down and its breaker open, and trades after the probe', async () => {
    const store = new InMemorySignatureStore();
    const venue = new JupiterSolanaCryptoVenue({
      jupiter: h.clients.jupiter,
      solana: h.clients.solana,
      wallet: h.clients.wallet,
      store,
      sleep: () => h.advance(1),
    });
    await h.addFault({ endpoint: 'jupiter.*', outage: true });
    await expect(venue.submitOrder(intent())).rejects.toBeInstanceOf(VenueUnavailableError);
    expect(h.clients.breakers.jupiter.state).toBe('open');
    await fetch(`${h.sim.url}/_sim/faults`, { method: 'DELETE' });
    // Still refused without a request: the breaker is open for its reset time.
    const refused = (await venue.submitOrder(intent()).catch((e: unknown) => e)) as Error;
    expect(refused).toBeInstanceOf(VenueUnavailableError);
    expect(refused.message).toMatch(/circuit breaker is open/);
    expect(store.all()).toHaveLength(0);
    expect(await venue.lookupOrder('c-1')).toEqual({ state: 'absent' });

    await jest.advanceTimersByTimeAsync(5 * 60_000);
    expect(h.clients.breakers.jupiter.state).toBe('half_open');
    await expect(venue.submitOrder(intent())).resolves.toMatchObject({ status: 'filled' });
    expect(h.clients.breakers.jupiter.state).toBe('closed');
  });
});
