/**
 * Anthropic Messages through the official SDK. The base URL points at the simulator in paper mode;
 * the model id is pure config; the SDK's own retry (429, 529, 5xx, connection errors, honouring
 * `retry-after`) is kept, bounded by `maxRetries`, with a per-request timeout. Retries re-run and
 * re-bill generation, which is harmless: LLM output is only advice to our idempotent step machine.
 * The venue breaker wraps each call, so a dead API stops being hammered.
 * @module
 */
import Anthropic from '@anthropic-ai/sdk';
import { BreakerOpenError, venueMetrics, type VenueBreaker } from '@atc/platform';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { parseWire } from './wire';

export type MessageParams = Omit<Anthropic.MessageCreateParamsNonStreaming, 'model' | 'max_tokens'> & {
  readonly max_tokens?: number;
};

/**
 * What callers read from a message. The SDK types the body but does not check it: a changed format
 * must fail here, naming the field, not as an `undefined` in a verdict parser.
 */
const KNOWN_BLOCKS: Readonly<Record<string, z.ZodType>> = {
  text: z.looseObject({ text: z.string() }),
  tool_use: z.looseObject({ id: z.string(), name: z.string(), input: z.unknown() }),
};
/** Text blocks carry `text`, tool calls `id`, `name` and `input`; other block types pass as they are. */
const contentBlockSchema = z.looseObject({ type: z.string() }).superRefine((block, ctx) => {
  const parsed = KNOWN_BLOCKS[block.type]?.safeParse(block);
  for (const issue of parsed?.error?.issues ?? [])
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});
const messageSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  role: z.literal('assistant'),
  content: z.array(contentBlockSchema),
  stop_reason: z.string().nullable(),
  usage: z.looseObject({ input_tokens: z.number(), output_tokens: z.number() }),
});

export interface AnthropicClientOptions {
  readonly apiKey: string;
  /** Without `/v1`: the SDK appends `/v1/messages`. */
  readonly baseUrl: string;
  readonly model: string;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  readonly defaultMaxTokens?: number;
  readonly breaker: VenueBreaker;
  readonly registry?: Registry;
  /** For tests: the SDK's fetch. */
  readonly fetch?: typeof fetch;
}

/** Errors that prove the API is up and refused this request (400, 401, 403, 404, 413…), not an outage. */
export function isAnthropicBusinessRejection(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 && ![408, 409, 429].includes(status);
}

export class AnthropicClient {
  private readonly sdk: Anthropic;

  constructor(private readonly options: AnthropicClientOptions) {
    this.sdk = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      openTelemetry: false,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  get model(): string {
    return this.options.model;
  }

  async createMessage(params: MessageParams): Promise<Anthropic.Message> {
    const message = await this.send(params);
    parseWire(messageSchema, message, { venue: 'anthropic', endpoint: 'messages' });
    return message;
  }

  private async send(params: MessageParams): Promise<Anthropic.Message> {
    const metrics = this.options.registry ? venueMetrics(this.options.registry) : undefined;
    const labels = { venue: 'anthropic', endpoint: 'messages' };
    try {
      const message = await this.options.breaker.run(() =>
        this.sdk.messages.create({
          ...params,
          model: this.options.model,
          max_tokens: params.max_tokens ?? this.options.defaultMaxTokens ?? 500,
        }),
      );
      metrics?.requests.inc({ ...labels, outcome: 'ok' });
      return message;
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const outcome =
        error instanceof BreakerOpenError
          ? 'breaker_open'
          : typeof status === 'number'
            ? status === 429
              ? 'rate_limited'
              : status >= 500
                ? 'server_error'
                : 'rejected'
            : 'network_error';
      metrics?.requests.inc({ ...labels, outcome });
      throw error;
    }
  }
}
