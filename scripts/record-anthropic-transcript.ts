// Records an Anthropic transcript for the simulator's replay mode (SIM_ANTHROPIC_TRANSCRIPT,
// docs/venues/anthropic.md): sends each request body of a JSON array through AnthropicClient (the
// ANTHROPIC_* keys; the real API with a real key) and writes every exchange, retries included.
//
//   node --import tsx scripts/record-anthropic-transcript.ts requests.json transcript.json
//
// A request body is what the Messages API takes (`system`, `messages`, `tools`, `tool_choice`,
// `max_tokens`); the model is ANTHROPIC_MODEL's, as in the roundtable's voices.
import { readFileSync, writeFileSync } from 'node:fs';
import { createVenueBreaker } from '@atc/platform';
import { createTranscriptRecorder, type Transcript } from '@atc/simulator';
import { AnthropicClient, type MessageParams } from '@atc/venues';

export async function recordTranscript(
  requests: readonly MessageParams[],
  env: Readonly<Record<string, string | undefined>>,
  inner: typeof fetch = fetch,
): Promise<Transcript> {
  const apiKey = env.ANTHROPIC_API_KEY;
  if (!apiKey) throw new Error('ANTHROPIC_API_KEY is required to record a transcript');
  const recorder = createTranscriptRecorder(inner);
  const breaker = createVenueBreaker({ venue: 'anthropic' });
  const client = new AnthropicClient({
    apiKey,
    baseUrl: env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com',
    model: env.ANTHROPIC_MODEL ?? 'claude-sonnet-5',
    breaker,
    fetch: recorder.fetch,
  });
  try {
    for (const request of requests) await client.createMessage(request);
  } finally {
    breaker.shutdown();
  }
  return recorder.transcript();
}

async function main(): Promise<void> {
  const [requestsFile, outFile] = process.argv.slice(2);
  if (!requestsFile || !outFile) {
    process.stderr.write('usage: record-anthropic-transcript.ts <requests.json> <transcript.json>\n');
    process.exit(2);
  }
  const requests = JSON.parse(readFileSync(requestsFile, 'utf8')) as MessageParams[];
  const transcript = await recordTranscript(requests, process.env);
  writeFileSync(outFile, `${JSON.stringify(transcript, null, 2)}\n`);
  process.stdout.write(`wrote ${transcript.exchanges.length} exchanges to ${outFile}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
