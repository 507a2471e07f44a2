import { createVenueBreaker, OutcomeUnknownError, VenueResponseError } from '@atc/platform';
import { AnthropicClient } from './anthropic.client';
import { NebulaClient } from './nebula.client';
import { ProjectXClient } from './projectx.client';
import { serveBodies, type FixedBodyServer } from './testing/fixed-body-server';

/** Nebula, ProjectX and Anthropic that changed their formats: every call names the field. */
describe('Nebula, ProjectX and Anthropic clients: every response goes through a schema', () => {
  let server: FixedBodyServer;
  afterEach(() => server.close());

  it('names the Nebula price field that changed', async () => {
    server = await serveBodies(() => ({ MES: { last: 1, bid: 1, ask: '2', change: 0 } }));
    const nebula = new NebulaClient({ webhook: server.http('nebula'), webhookKey: 'k' });
    const error = await nebula.getPrices(['MES']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VenueResponseError);
    expect((error as Error).message).toMatch(/^nebula prices answered an unexpected body: MES\.ask: /);
  });

  function projectx(): ProjectXClient {
    return new ProjectXClient({ http: server.http('projectx'), userName: 'u', apiKey: 'k', accountId: 1 });
  }
  const ok = { success: true, errorCode: 0, errorMessage: null };

  it('names the ProjectX envelope, login and order fields that changed', async () => {
    server = await serveBodies((path) =>
      path === '/api/Auth/loginKey'
        ? { ...ok, token: 't' }
        : { ...ok, orders: [{ id: 1, accountId: 1, contractId: 'CON.F.US.MES.Z26', status: 'filled' }] },
    );
    await expect(projectx().searchOpenOrders()).rejects.toThrow(
      /^projectx order_search answered an unexpected body: orders\[0\]\.creationTimestamp: /,
    );
    await server.close();
    server = await serveBodies(() => ({ token: 't' }));
    const login = await projectx()
      .searchOpenPositions()
      .catch((e: unknown) => e);
    expect(login).toBeInstanceOf(VenueResponseError);
    expect((login as Error).message).toMatch(/^projectx login answered an unexpected body: success: /);
  });

  it('leaves a ProjectX placement whose answer cannot be read unknown, never rejected', async () => {
    server = await serveBodies((path) =>
      path === '/api/Auth/loginKey' ? { ...ok, token: 't' } : { ...ok, orderId: '9' },
    );
    const error = await projectx()
      .placeOrder({ contractId: 'CON.F.US.MES.Z26', type: 2, side: 0, size: 1, customTag: 'cc-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(((error as Error).cause as Error).message).toMatch(/^projectx place_order .*: orderId: /);
  });

  it('names the Anthropic message field that changed', async () => {
    server = await serveBodies(() => ({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'm',
      content: [{ type: 'tool_use', id: 'tu_1', input: {} }],
      stop_reason: 'tool_use',
      usage: { input_tokens: 1, output_tokens: 1 },
    }));
    const breaker = createVenueBreaker({ venue: 'anthropic' });
    const anthropic = new AnthropicClient({
      apiKey: 'k',
      baseUrl: server.url,
      model: 'm',
      maxRetries: 0,
      breaker,
    });
    const error = await anthropic
      .createMessage({ messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    breaker.shutdown();
    expect(error).toBeInstanceOf(VenueResponseError);
    expect((error as Error).message).toMatch(
      /^anthropic messages answered an unexpected body: content\[0\]\.name: /,
    );
  });
});
