/**
 * Anthropic Messages under `/anthropic/v1/messages`: both `anthropic-version` values, the error
 * envelope, a `request-id` header, and deterministic replies — a forced tool call gets an input built
 * from the tool's schema, anything else a short text — so agents and tests are reproducible. A loaded
 * transcript or script (anthropic-script.ts) answers first.
 * @module
 */
import { Router, type Request, type Response } from 'express';
import type { ScriptEntry } from './anthropic-script';
import { faulted } from './fault-injection';
import { str } from './request-values';
import type { SimContext } from './sim-context';

const VERSIONS = new Set(['2023-06-01', '2026-10-21']);

interface ToolSpec {
  readonly name?: string;
  readonly input_schema?: {
    properties?: Record<string, { type?: string; enum?: unknown[] }>;
    required?: string[];
  };
}

function sendError(res: Response, status: number, type: string, message: string, requestId: string): void {
  res.status(status).setHeader('request-id', requestId);
  res.json({ type: 'error', error: { type, message }, request_id: requestId });
}

/** A value per property type; enums take their first member. */
function inputFor(tool: ToolSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(tool.input_schema?.properties ?? {})) {
    if (prop.enum && prop.enum.length > 0) out[name] = prop.enum[0];
    else if (prop.type === 'boolean') out[name] = false;
    else if (prop.type === 'number' || prop.type === 'integer') out[name] = 0;
    else if (prop.type === 'array') out[name] = [];
    else if (prop.type === 'object') out[name] = {};
    else out[name] = 'simulated: no model behind this reply';
  }
  return out;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((block: unknown) =>
        typeof block === 'object' && block !== null && 'text' in block ? str(block.text) : '',
      )
      .join(' ');
  return '';
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** The request's checks: an error answer was sent when this returns false. */
function acceptRequest(req: Request, res: Response, requestId: string): boolean {
  // The 1.x SDK sends the key as `Authorization: Bearer`; raw HTTP clients send `x-api-key`.
  if (!req.get('x-api-key') && !/^Bearer \S+/.test(req.get('authorization') ?? '')) {
    sendError(res, 401, 'authentication_error', 'x-api-key or Authorization: Bearer is required', requestId);
    return false;
  }
  const version = req.get('anthropic-version');
  if (!version || !VERSIONS.has(version)) {
    sendError(res, 400, 'invalid_request_error', 'anthropic-version header is missing or unknown', requestId);
    return false;
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (
    typeof body.model !== 'string' ||
    !Number.isInteger(body.max_tokens) ||
    (body.max_tokens as number) < 1 ||
    !Array.isArray(body.messages) ||
    body.messages.length === 0
  ) {
    sendError(res, 400, 'invalid_request_error', 'model, max_tokens and messages are required', requestId);
    return false;
  }
  return true;
}

/** The tool a reply must call: the forced one, or the first for `any`. */
function forcedTool(body: Record<string, unknown>): ToolSpec | undefined {
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  const tools = (Array.isArray(body.tools) ? body.tools : []) as ToolSpec[];
  if (choice?.type === 'tool') return tools.find((t) => t.name === choice.name);
  return choice?.type === 'any' ? tools[0] : undefined;
}

interface Reply {
  readonly content: unknown[];
  readonly toolCall: boolean;
  readonly usage?: { input_tokens: number; output_tokens: number };
}

function sendMessage(
  res: Response,
  body: Record<string, unknown>,
  ids: { message: string; request: string },
  reply: Reply,
): void {
  const messages = body.messages as unknown[];
  res.setHeader('request-id', ids.request);
  res.json({
    id: ids.message,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content: reply.content,
    stop_reason: reply.toolCall ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage?.input_tokens ?? Math.ceil(JSON.stringify(messages).length / 4),
      output_tokens: reply.usage?.output_tokens ?? 12,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  });
}

/** The deterministic reply: a forced tool gets an input from its schema, anything else a short text. */
function deterministicReply(body: Record<string, unknown>, served: number): Reply {
  const tool = forcedTool(body);
  const prompt = textOf(((body.messages as unknown[]).at(-1) as { content?: unknown }).content);
  if (tool)
    return {
      content: [{ type: 'tool_use', id: `toolu_sim_${served}`, name: tool.name, input: inputFor(tool) }],
      toolCall: true,
    };
  return {
    content: [
      { type: 'text', text: `Simulated reply ${served}: noted (${prompt.length} characters received).` },
    ],
    toolCall: false,
  };
}

/** A scripted answer; an error entry is sent here and gives undefined. */
async function scriptedReply(
  entry: ScriptEntry,
  body: Record<string, unknown>,
  res: Response,
  ids: { request: string; served: number },
): Promise<Reply | undefined> {
  if (entry.delayMs) await new Promise((resolve) => setTimeout(resolve, entry.delayMs));
  if (res.destroyed || res.writableEnded) return undefined;
  if (entry.status !== undefined) {
    if (entry.retryAfter !== undefined) res.setHeader('retry-after', String(entry.retryAfter));
    sendError(res, entry.status, ERROR_TYPES[entry.status] ?? 'api_error', 'scripted error', ids.request);
    return undefined;
  }
  const usage = entry.usage ? { usage: entry.usage } : {};
  if (entry.toolInput !== undefined) {
    const name = entry.toolName ?? forcedTool(body)?.name ?? 'tool';
    const block = { type: 'tool_use', id: `toolu_sim_${ids.served}`, name, input: entry.toolInput };
    return { content: [block], toolCall: true, ...usage };
  }
  return { content: [{ type: 'text', text: entry.text ?? '' }], toolCall: false, ...usage };
}

/** The recorded answer, byte for byte; a request the transcript does not hold answers 404 with its hash. */
function replayTranscript(ctx: SimContext, body: unknown, res: Response, requestId: string): void {
  const { hash, exchange } = ctx.anthropicTranscript!.answer(body);
  if (!exchange)
    return sendError(res, 404, 'not_found_error', `no recorded exchange for request hash ${hash}`, requestId);
  for (const [name, value] of Object.entries(exchange.response.headers)) res.setHeader(name, value);
  res.status(exchange.response.status).send(Buffer.from(exchange.response.body, 'utf8'));
}

export function anthropicRoutes(ctx: SimContext): Router {
  const router = Router();
  let served = 0;
  router.post(
    '/v1/messages',
    faulted({ faults: ctx.faults, key: 'anthropic.messages' }, async (req, res) => {
      served += 1;
      const requestId = `req_sim_${ctx.seed}_${served}`;
      if (!acceptRequest(req, res, requestId)) return;
      const body = req.body as Record<string, unknown>;
      if (ctx.anthropicTranscript) return replayTranscript(ctx, body, res, requestId);
      const entry = ctx.anthropicScript.next();
      const reply = entry
        ? await scriptedReply(entry, body, res, { request: requestId, served })
        : deterministicReply(body, served);
      if (reply)
        sendMessage(res, body, { message: `msg_sim_${ctx.seed}_${served}`, request: requestId }, reply);
    }),
  );
  return router;
}
