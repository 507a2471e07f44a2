/**
 * Anthropic Messages under `/anthropic/v1/messages`: both `anthropic-version` values, the error
 * envelope, a `request-id` header, and deterministic replies — a forced tool call gets an input built
 * from the tool's schema, anything else a short text — so agents and tests are reproducible.
 * @module
 */
import { Router, type Response } from 'express';
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

export function anthropicRoutes(ctx: SimContext): Router {
  const router = Router();
  let served = 0;
  router.post(
    '/v1/messages',
    faulted({ faults: ctx.faults, key: 'anthropic.messages' }, (req, res) => {
      served += 1;
      const requestId = `req_sim_${ctx.seed}_${served}`;
      // The 1.x SDK sends the key as `Authorization: Bearer`; raw HTTP clients send `x-api-key`.
      if (!req.get('x-api-key') && !/^Bearer \S+/.test(req.get('authorization') ?? ''))
        return sendError(
          res,
          401,
          'authentication_error',
          'x-api-key or Authorization: Bearer is required',
          requestId,
        );
      const version = req.get('anthropic-version');
      if (!version || !VERSIONS.has(version))
        return sendError(
          res,
          400,
          'invalid_request_error',
          'anthropic-version header is missing or unknown',
          requestId,
        );
      const body = (req.body ?? {}) as Record<string, unknown>;
      const messages = body.messages;
      if (
        typeof body.model !== 'string' ||
        !Number.isInteger(body.max_tokens) ||
        (body.max_tokens as number) < 1 ||
        !Array.isArray(messages) ||
        messages.length === 0
      ) {
        return sendError(
          res,
          400,
          'invalid_request_error',
          'model, max_tokens and messages are required',
          requestId,
        );
      }
      const choice = body.tool_choice as { type?: string; name?: string } | undefined;
      const tools = (Array.isArray(body.tools) ? body.tools : []) as ToolSpec[];
      const tool =
        choice?.type === 'tool'
          ? tools.find((t) => t.name === choice.name)
          : choice?.type === 'any'
            ? tools[0]
            : undefined;
      const prompt = textOf((messages.at(-1) as { content?: unknown }).content);
      const content = tool
        ? [{ type: 'tool_use', id: `toolu_sim_${served}`, name: tool.name, input: inputFor(tool) }]
        : [
            {
              type: 'text',
              text: `Simulated reply ${served}: noted (${prompt.length} characters received).`,
            },
          ];
      res.setHeader('request-id', requestId);
      res.json({
        id: `msg_sim_${ctx.seed}_${served}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content,
        stop_reason: tool ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: Math.ceil(JSON.stringify(messages).length / 4),
          output_tokens: 12,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      });
    }),
  );
  return router;
}
