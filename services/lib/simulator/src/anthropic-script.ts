/**
 * Replay for the Anthropic endpoint (issue 19, Deliver 5). Two sources of answers, both checked
 * before the deterministic replies of anthropic.routes.ts:
 * - a **script**: a queue of responses loaded through `POST /_sim/anthropic/script`, consumed one per
 *   request in order (a text reply, a tool call with a given input, an HTTP error such as 429 with
 *   Retry-After or 529, a delay that outlasts a client's timeout, usage numbers of one's choosing);
 *   an empty queue leaves the deterministic replies;
 * - a **transcript**: recorded request → response pairs (`SIM_ANTHROPIC_TRANSCRIPT`, or the
 *   `anthropicTranscript` option), answered byte for byte, matched by the hash of the request's
 *   model, system, messages and tools (`transcriptRequestHash`); an unmatched request answers 404
 *   naming its hash. `createTranscriptRecorder` wraps a fetch to write such a file.
 * @module
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

const Usage = z
  .object({ input_tokens: z.number().int().min(0), output_tokens: z.number().int().min(0) })
  .strict();

/** One scripted answer. Exactly one of `text`, `toolInput`, `status` (a `delayMs` may precede any). */
export const scriptEntrySchema = z
  .object({
    /** A plain text reply. */
    text: z.string().max(100_000).optional(),
    /** A tool_use reply with this input (any JSON: a malformed vote is just a wrong input). */
    toolInput: z.unknown().optional(),
    /** The tool's name; by default the request's forced tool (or its first tool). */
    toolName: z.string().min(1).max(200).optional(),
    /** An error answer with the Anthropic error envelope. */
    status: z.number().int().min(400).max(599).optional(),
    /** Seconds, sent as `retry-after` with an error status. */
    retryAfter: z.number().int().min(0).max(3600).optional(),
    /** Wait this long before answering: longer than a client's timeout, it is a timeout. */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /** The reply's usage; by default the deterministic estimate. */
    usage: Usage.optional(),
  })
  .strict()
  .refine((e) => [e.text, e.toolInput, e.status].filter((v) => v !== undefined).length <= 1, {
    message: 'give at most one of text, toolInput, status',
  })
  .refine((e) => [e.text, e.toolInput, e.status, e.delayMs].some((v) => v !== undefined), {
    message: 'give one of text, toolInput, status or delayMs',
  });
export type ScriptEntry = z.infer<typeof scriptEntrySchema>;

export const scriptBodySchema = z
  .object({ responses: z.array(scriptEntrySchema).min(1).max(1_000) })
  .strict();

/** The queue of scripted answers of one simulator. */
export class AnthropicScript {
  private queue: ScriptEntry[] = [];

  load(entries: readonly ScriptEntry[]): void {
    this.queue.push(...entries);
  }

  clear(): void {
    this.queue = [];
  }

  remaining(): readonly ScriptEntry[] {
    return this.queue;
  }

  next(): ScriptEntry | undefined {
    return this.queue.shift();
  }
}

/** One recorded exchange; `body` is the response's exact text. */
export const transcriptExchangeSchema = z
  .object({
    requestHash: z.string().regex(/^[0-9a-f]{64}$/),
    request: z.unknown(),
    response: z
      .object({
        status: z.number().int().min(100).max(599),
        headers: z.record(z.string(), z.string()).default({}),
        body: z.string(),
      })
      .strict(),
  })
  .strict();
export type TranscriptExchange = z.infer<typeof transcriptExchangeSchema>;

export const transcriptSchema = z
  .object({ version: z.literal(1), exchanges: z.array(transcriptExchangeSchema) })
  .strict();
export type Transcript = z.infer<typeof transcriptSchema>;

/** JSON with object keys sorted at every level: the same request always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 of the request's model, system, messages and tools (what decides a reply). */
export function transcriptRequestHash(body: unknown): string {
  const b = (body ?? {}) as Record<string, unknown>;
  const key = { model: b.model, system: b.system, messages: b.messages, tools: b.tools };
  return createHash('sha256').update(canonicalJson(key)).digest('hex');
}

/**
 * Answers from a transcript: for each hash, its recorded responses in order (a conversation that
 * asks the same thing twice gets both answers); once used up, the last one again.
 */
export class TranscriptReplay {
  private readonly byHash = new Map<string, TranscriptExchange[]>();
  private readonly used = new Map<string, number>();

  constructor(transcript: Transcript) {
    for (const exchange of transcript.exchanges) {
      const list = this.byHash.get(exchange.requestHash) ?? [];
      list.push(exchange);
      this.byHash.set(exchange.requestHash, list);
    }
  }

  answer(body: unknown): { hash: string; exchange?: TranscriptExchange } {
    const hash = transcriptRequestHash(body);
    const list = this.byHash.get(hash);
    if (!list) return { hash };
    const index = this.used.get(hash) ?? 0;
    this.used.set(hash, index + 1);
    return { hash, exchange: list[Math.min(index, list.length - 1)] };
  }
}

/**
 * Wraps a fetch (give it to AnthropicClient's `fetch` option) so that every `/v1/messages`
 * exchange is kept; `transcript()` returns the file to write (JSON.stringify it) for replay.
 */
export function createTranscriptRecorder(inner: typeof fetch = fetch): {
  fetch: typeof fetch;
  transcript(): Transcript;
} {
  const exchanges: TranscriptExchange[] = [];
  const recording: typeof fetch = async (input, init) => {
    const response = await inner(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.endsWith('/v1/messages') || typeof init?.body !== 'string') return response;
    const request: unknown = JSON.parse(init.body);
    const body = await response.clone().text();
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'request-id', 'retry-after']) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    exchanges.push({
      requestHash: transcriptRequestHash(request),
      request,
      response: { status: response.status, headers, body },
    });
    return response;
  };
  return { fetch: recording, transcript: () => ({ version: 1, exchanges: [...exchanges] }) };
}
