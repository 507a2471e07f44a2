import { loadSimulatorConfig, simulatorOptionsFromConfig } from './simulator.config';
import { startSimulator, type RunningSimulator } from './simulator';
import { contracts } from './projectx-contracts';
import { PROJECTX_ACCOUNT_ID, TRADIER_ACCOUNT } from './sim-context';

// The simulator refuses what the real venues refuse, in each venue's own error format, so that a
// test against it catches a request the venue would not take.
describe('simulator request validation', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    const config = loadSimulatorConfig({ SIM_TICK_INTERVAL_MS: '0' });
    sim = await startSimulator(simulatorOptionsFromConfig(config, { seed: 7, port: 0 }));
  });
  afterAll(() => sim.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  /** A Tradier equity market order for one SPY share, with the given fields over those. */
  const tradierOrder = (fields: Record<string, string>) =>
    fetch(`${sim.url}/tradier/v1/accounts/${TRADIER_ACCOUNT}/orders`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer t',
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        class: 'equity',
        symbol: 'SPY',
        side: 'buy',
        quantity: '1',
        type: 'market',
        duration: 'day',
        ...fields,
      }).toString(),
    });

  describe('Solana JSON-RPC', () => {
    const rpc = async (method: string, params?: unknown) => {
      const res = await post('/solana', {
        jsonrpc: '2.0',
        id: 1,
        method,
        ...(params === undefined ? {} : { params }),
      });
      return {
        status: res.status,
        body: (await res.json()) as { error?: { code: number; message: string } },
      };
    };
    const wallet = 'So11111111111111111111111111111111111111112';

    it.each([
      ['sendTransaction', { a: 1 }],
      ['getTokenAccountsByOwner', undefined],
      ['getTokenAccountsByOwner', [wallet]],
      ['getTokenAccountsByOwner', [wallet, { nonsense: wallet }]],
      ['getBalance', ["x'; drop--"]],
      ['getBalance', ['0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl']],
      ['getBalance', []],
      ['getSignatureStatuses', [[1, 2]]],
      ['getBlockHeight', 'confirmed'],
    ])('%s with params %j answers -32602 with HTTP 200, not a 500 or a result', async (method, params) => {
      const { status, body } = await rpc(method, params);
      expect(status).toBe(200);
      expect(body.error?.code).toBe(-32602);
      expect(body).not.toHaveProperty('result');
    });

    it('still answers valid calls', async () => {
      const balance = await rpc('getBalance', [wallet, { commitment: 'confirmed' }]);
      expect(balance.body).toMatchObject({ result: { value: expect.any(Number) as number } });
      const accounts = await rpc('getTokenAccountsByOwner', [
        wallet,
        { programId: 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA' },
        { encoding: 'jsonParsed' },
      ]);
      expect(accounts.body).toMatchObject({ result: { value: expect.any(Array) as unknown[] } });
    });

    it('answers -32600 for a request that is not a JSON-RPC call', async () => {
      const res = await post('/solana', { id: 1, method: 7 });
      expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32600);
    });
  });

  describe('ProjectX Order/place', () => {
    let token: string;
    beforeAll(async () => {
      const login = await post('/projectx/api/Auth/loginKey', { userName: 'u', apiKey: 'k' });
      token = ((await login.json()) as { token: string }).token;
    });
    const place = async (overrides: Record<string, unknown>) => {
      const contractId =
        contracts(Date.now()).find((c) => c.root === 'MES')?.id ?? contracts(Date.now())[0]!.id;
      const res = await post(
        '/projectx/api/Order/place',
        { accountId: PROJECTX_ACCOUNT_ID, contractId, type: 2, side: 0, size: 1, ...overrides },
        { authorization: `Bearer ${token}` },
      );
      return (await res.json()) as { success: boolean; errorCode: number; errorMessage: string | null };
    };

    it.each([
      [{ size: 1e20 }, /Invalid size/],
      [{ size: '1' }, /Invalid size/],
      [{ size: 1.5 }, /Invalid size/],
      [{ type: 1, limitPrice: -5 }, /Invalid limitPrice/],
      [{ type: 1, limitPrice: '21500' }, /Invalid limitPrice/],
      [{ type: 4, stopPrice: 0 }, /Invalid stopPrice/],
      [{ type: '2' }, /Unsupported order type/],
    ])('refuses %j with success: false and its errorCode', async (overrides, message) => {
      const answer = await place(overrides);
      expect(answer).toMatchObject({ success: false, errorCode: 1 });
      expect(answer.errorMessage).toMatch(message);
    });
  });

  describe('Tradier orders', () => {
    const order = (fields: Record<string, string>) => tradierOrder({ preview: 'true', ...fields });

    it.each([
      [{ quantity: '100000000000000000000' }, /quantity must be a positive integer/],
      [{ type: 'limit', price: '0' }, /price is required for limit orders and must be positive/],
      [{ type: 'limit', price: '-5' }, /price is required/],
      [{ type: 'stop', stop: '1e3' }, /stop is required/],
    ])('answers 400 with an errors body for %j', async (fields, message) => {
      const res = await order(fields);
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toMatch(message);
    });

    it('refuses a JSON body whose fields are not form strings', async () => {
      const res = await post(
        `/tradier/v1/accounts/${TRADIER_ACCOUNT}/orders`,
        { class: 'equity', symbol: 'SPY', side: 'buy', quantity: 1, type: 'market', duration: 'day' },
        { authorization: 'Bearer t', accept: 'application/json' },
      );
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toMatch(/quantity is invalid/);
    });
  });

  describe('the order journal', () => {
    const journal = async (query = '') => {
      const res = await fetch(`${sim.url}/_sim/orders${query}`);
      return { status: res.status, body: (await res.json()) as { orders?: { sequence: number }[] } };
    };
    const placeOrder = (tag: string) => tradierOrder({ tag });

    it('answers only the entries after ?after=N, and refuses an after that is not a sequence', async () => {
      await placeOrder('journal-a');
      await placeOrder('journal-b');
      const all = (await journal()).body.orders!;
      const last = all.at(-1)!.sequence;
      expect(all.map((entry) => entry.sequence)).toEqual(all.map((_, index) => index + 1));
      expect((await journal(`?after=${last - 1}`)).body.orders!.map((entry) => entry.sequence)).toEqual([
        last,
      ]);
      expect((await journal(`?after=${last}`)).body.orders).toEqual([]);
      for (const bad of ['-1', '1.5', 'x']) {
        const refused = await journal(`?after=${bad}`);
        expect(refused.status).toBe(400);
        expect(JSON.stringify(refused.body)).toMatch(/after: must be a whole number/);
      }
    });
  });

  describe('fault rules', () => {
    it('refuses an unknown key with 400 naming it', async () => {
      const res = await post('/_sim/faults', { endpoint: 'tradier.*', outage: true, explode: true });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toBe('invalid fault rule: explode: unknown key');
      expect(await (await fetch(`${sim.url}/_sim/faults`)).json()).toEqual({ faults: [] });
    });

    it('refuses a NUL character with its path, like every JSON input', async () => {
      const res = await post('/_sim/faults', [{ endpoint: 'tradier.\u0000' }]);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        'invalid fault rule: 0.endpoint: contains a NUL character (\\u0000)',
      );
    });

    it('still takes a valid rule', async () => {
      const res = await post('/_sim/faults', { endpoint: 'tradier.quotes', latencyMs: 1 });
      expect(res.status).toBe(201);
      await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    });
  });
});

describe('SIM_FAULTS', () => {
  it('names an unknown key of a rule in the configuration error', () => {
    expect(() => loadSimulatorConfig({ SIM_FAULTS: '[{"endpoint":"tradier.*","explode":1}]' })).toThrow(
      /SIM_FAULTS: must be a JSON array of fault rules \(0\.explode: unknown key\)/,
    );
  });
});
