import { soakProposal, TradingLoad } from './soak-load';

describe('soakProposal', () => {
  it('rotates a buy, a sell and an analysis, each with its own trace id', () => {
    const [buy, sell, analysis] = [0, 1, 2].map((n) => soakProposal(n, 'run'));
    expect(buy).toMatchObject({ sourceTraceId: 'soak-run-0', steps: [{ trade: { side: 'buy' } }] });
    expect(sell).toMatchObject({ sourceTraceId: 'soak-run-1', steps: [{ trade: { side: 'sell' } }] });
    expect(analysis).toMatchObject({ steps: [{ kind: 'analyze' }] });
    expect(soakProposal(3, 'run')).toMatchObject({ steps: [{ trade: { side: 'buy' } }] });
  });
});

describe('TradingLoad', () => {
  it('posts to the API with the key and counts each outcome without throwing', async () => {
    const calls: { url: string; auth: string | null }[] = [];
    const answers = [
      new Response(JSON.stringify({ status: 'approved', reasonCode: null }), { status: 201 }),
      new Response(JSON.stringify({ status: 'rejected', reasonCode: 'quota' }), { status: 201 }),
      new Response('{}', { status: 503 }),
    ];
    const fakeFetch = ((url: string, init: RequestInit) => {
      calls.push({ url, auth: new Headers(init.headers).get('authorization') });
      const answer = answers.shift();
      return answer ? Promise.resolve(answer) : Promise.reject(new TypeError('fetch failed'));
    }) as unknown as typeof fetch;
    const load = new TradingLoad({
      dashboardUrl: 'http://x',
      apiKey: 'atc_k',
      intervalMs: 1000,
      runId: 'r',
      fetch: fakeFetch,
    });
    for (let i = 0; i < 4; i += 1) await load.submitOne();
    expect(calls[0]).toEqual({ url: 'http://x/api/proposals', auth: 'Bearer atc_k' });
    expect(Object.fromEntries(load.outcomes)).toEqual({
      approved: 1,
      'rejected: quota': 1,
      'http 503': 1,
      'error: TypeError': 1,
    });
  });
});
