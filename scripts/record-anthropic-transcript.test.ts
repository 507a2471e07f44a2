import { startSimulator } from '@atc/simulator';
import { recordTranscript } from './record-anthropic-transcript';

describe('record-anthropic-transcript', () => {
  it('records each request and replays it from a simulator in transcript mode', async () => {
    const live = await startSimulator({ port: 0, seed: 5 });
    const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: `${live.url}/anthropic`, ANTHROPIC_MODEL: 'm' };
    const request = { system: 'You are SAGE.', messages: [{ role: 'user' as const, content: 'Stops?' }] };
    const transcript = await recordTranscript([request], env).finally(() => live.close());
    expect(transcript.exchanges).toHaveLength(1);
    expect(transcript.exchanges[0]!.response.status).toBe(200);

    const replay = await startSimulator({ port: 0, seed: 6, anthropicTranscript: transcript });
    try {
      const again = await recordTranscript([request], {
        ...env,
        ANTHROPIC_BASE_URL: `${replay.url}/anthropic`,
      });
      expect(again.exchanges[0]!.response.body).toBe(transcript.exchanges[0]!.response.body);
    } finally {
      await replay.close();
    }
  });

  it('refuses to run without a key', async () => {
    await expect(recordTranscript([], {})).rejects.toThrow(/ANTHROPIC_API_KEY/);
  });
});
