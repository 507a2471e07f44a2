import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createVenueBreaker } from '@atc/platform';
import { AnthropicClient } from '@atc/venues';
import { createTranscriptRecorder, transcriptRequestHash } from './anthropic-script';
import { startSimulator, type RunningSimulator } from './simulator';
import { loadSimulatorConfig, simulatorOptionsFromConfig } from './simulator.config';

const HEADERS = { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' };
const VOTE_TOOL = {
  name: 'cast_vote',
  description: 'vote',
  input_schema: { type: 'object', properties: { vote: { type: 'string' } }, required: ['vote'] },
};

function request(content: string, tool = false): Record<string, unknown> {
  return {
    model: 'claude-sonnet-5',
    max_tokens: 100,
    system: 'You are SAGE.',
    messages: [{ role: 'user', content }],
    ...(tool ? { tools: [VOTE_TOOL], tool_choice: { type: 'tool', name: 'cast_vote' } } : {}),
  };
}

async function post(sim: RunningSimulator, pathname: string, body: unknown, init: RequestInit = {}) {
  return fetch(`${sim.url}${pathname}`, {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify(body),
    ...init,
  });
}

describe('the Anthropic endpoint: scripted answers', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, seed: 7 });
  });
  afterEach(() => sim.close());

  it('answers the script in order — text, tool call, 429 with Retry-After, 529 — then the deterministic reply', async () => {
    const loaded = await post(sim, '/_sim/anthropic/script', {
      responses: [
        { text: 'Risk first.', usage: { input_tokens: 300, output_tokens: 200 } },
        { toolInput: { vote: 'maybe' } },
        { status: 429, retryAfter: 2 },
        { status: 529 },
      ],
    });
    expect(loaded.status).toBe(201);

    const text = (await (await post(sim, '/anthropic/v1/messages', request('a'))).json()) as Record<
      string,
      unknown
    >;
    expect(text).toMatchObject({
      content: [{ type: 'text', text: 'Risk first.' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 300, output_tokens: 200 },
    });
    const tool = await (await post(sim, '/anthropic/v1/messages', request('b', true))).json();
    expect(tool).toMatchObject({
      content: [{ type: 'tool_use', name: 'cast_vote', input: { vote: 'maybe' } }],
      stop_reason: 'tool_use',
    });
    const limited = await post(sim, '/anthropic/v1/messages', request('c'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await limited.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const overloaded = await post(sim, '/anthropic/v1/messages', request('d'));
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({ error: { type: 'overloaded_error' } });

    const after = await (await post(sim, '/anthropic/v1/messages', request('e'))).json();
    expect(after).toMatchObject({
      content: [{ type: 'text', text: expect.stringMatching(/^Simulated reply/) as unknown }],
    });
    expect(await (await fetch(`${sim.url}/_sim/anthropic/script`)).json()).toEqual({ responses: [] });
  });

  it('a delay longer than the client timeout is a timeout, and the next entry still answers', async () => {
    await post(sim, '/_sim/anthropic/script', {
      responses: [{ delayMs: 1_000, text: 'late' }, { text: 'on time' }],
    });
    const breaker = createVenueBreaker({ venue: 'anthropic' });
    const client = new AnthropicClient({
      apiKey: 'k',
      baseUrl: `${sim.url}/anthropic`,
      model: 'claude-sonnet-5',
      timeoutMs: 200,
      maxRetries: 0,
      breaker,
    });
    try {
      await expect(
        client.createMessage({ messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toMatchObject({
        name: expect.stringMatching(/Timeout/) as unknown,
      });
      const next = await client.createMessage({ messages: [{ role: 'user', content: 'y' }] });
      expect(next.content[0]).toMatchObject({ type: 'text', text: 'on time' });
    } finally {
      breaker.shutdown();
    }
  });

  it('refuses a malformed script naming the problem, and DELETE empties the queue', async () => {
    const bad = await post(sim, '/_sim/anthropic/script', { responses: [{ text: 'a', status: 429 }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/at most one of text, toolInput, status/);
    await post(sim, '/_sim/anthropic/script', { responses: [{ text: 'queued' }] });
    await fetch(`${sim.url}/_sim/anthropic/script`, { method: 'DELETE' });
    const reply = await (await post(sim, '/anthropic/v1/messages', request('z'))).json();
    expect(reply).toMatchObject({
      content: [{ text: expect.stringMatching(/^Simulated reply/) as unknown }],
    });
  });
});

describe('the Anthropic endpoint: recorded transcripts', () => {
  it('records exchanges through a fetch wrapper and replays them byte for byte, matched by request hash', async () => {
    const live = await startSimulator({ port: 0, seed: 1 });
    const recorder = createTranscriptRecorder();
    const originals: string[] = [];
    try {
      await post(live, '/_sim/anthropic/script', {
        responses: [{ text: 'Stops at 2 %.' }, { toolInput: { vote: 'support' } }],
      });
      for (const body of [request('first'), request('second', true)]) {
        const res = await recorder.fetch(`${live.url}/anthropic/v1/messages`, {
          method: 'POST',
          headers: HEADERS,
          body: JSON.stringify(body),
        });
        originals.push(await res.text());
      }
    } finally {
      await live.close();
    }
    const transcript = recorder.transcript();
    expect(transcript.exchanges.map((e) => e.requestHash)).toEqual([
      transcriptRequestHash(request('first')),
      transcriptRequestHash(request('second', true)),
    ]);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'atc-transcript-'));
    const file = path.join(dir, 'transcript.json');
    writeFileSync(file, JSON.stringify(transcript));
    const options = simulatorOptionsFromConfig(loadSimulatorConfig({ SIM_ANTHROPIC_TRANSCRIPT: file }));
    const replay = await startSimulator({ ...options, port: 0, seed: 99 });
    try {
      // Key order does not change the hash: the replayed bytes are the recorded ones.
      const reordered = { messages: request('second', true).messages, ...request('second', true) };
      expect(await (await post(replay, '/anthropic/v1/messages', reordered)).text()).toBe(originals[1]);
      expect(await (await post(replay, '/anthropic/v1/messages', request('first'))).text()).toBe(
        originals[0],
      );
      const unknown = await post(replay, '/anthropic/v1/messages', request('never recorded'));
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({
        error: {
          type: 'not_found_error',
          message: `no recorded exchange for request hash ${transcriptRequestHash(request('never recorded'))}`,
        },
      });
    } finally {
      await replay.close();
    }
  });

  it('refuses a transcript file that is not one, naming the key', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'atc-transcript-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ version: 2 }));
    expect(() => simulatorOptionsFromConfig(loadSimulatorConfig({ SIM_ANTHROPIC_TRANSCRIPT: file }))).toThrow(
      /SIM_ANTHROPIC_TRANSCRIPT/,
    );
  });
});
