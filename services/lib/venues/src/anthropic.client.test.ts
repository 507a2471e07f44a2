import { AnthropicClient } from './anthropic.client';
import { startHarness, type SimHarness } from '@atc/simulator/testing';
import { createVenueBreaker } from '@atc/platform';

describe('Anthropic client against the simulator', () => {
  let h: SimHarness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('sends the configured model through the SDK and gets a deterministic forced tool call', async () => {
    const message = await h.clients.anthropic.createMessage({
      system: 'You are SAGE.',
      messages: [{ role: 'user', content: 'Proposal: buy 1 SPY call.' }],
      tools: [
        {
          name: 'submit_verdict',
          description: 'verdict',
          input_schema: {
            type: 'object',
            properties: { approve: { type: 'boolean' }, reason: { type: 'string' } },
            required: ['approve', 'reason'],
          },
        },
      ],
      tool_choice: { type: 'tool', name: 'submit_verdict' },
    });
    expect(message.model).toBe('claude-sonnet-5');
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'submit_verdict',
      input: { approve: false },
    });
  });

  it('retries 429 (honouring retry-after) and 529 through the SDK, then succeeds', async () => {
    await h.addFault({ endpoint: 'anthropic.messages', rateLimitNext: 1, retryAfterSeconds: 0 });
    await h.addFault({ endpoint: 'anthropic.messages', failNext: 1, errorStatus: 529 });
    const attempts: string[] = [];
    const breaker = createVenueBreaker({ venue: 'anthropic' });
    const client = new AnthropicClient({
      apiKey: 'k',
      baseUrl: `${h.sim.url}/anthropic`,
      model: 'claude-opus-4-6',
      maxRetries: 3,
      breaker,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        attempts.push(String(res.status));
        return res;
      },
    });
    try {
      const message = await client.createMessage({ messages: [{ role: 'user', content: 'hello' }] });
      expect(message.content[0]).toMatchObject({ type: 'text' });
      expect(attempts).toEqual(['429', '529', '200']);
    } finally {
      breaker.shutdown();
    }
  });

  it('does not retry a 400 and rejects a missing anthropic-version header', async () => {
    const res = await fetch(`${h.sim.url}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    await expect(h.clients.anthropic.createMessage({ messages: [] })).rejects.toMatchObject({ status: 400 });
    expect(h.clients.breakers.anthropic.state).toBe('closed');
  });
});
