/**
 * RFC 9457 problem details: every error answer of the operator API is `application/problem+json`
 * with `type`, `title`, `status`, `detail`, `requestId` and, when a field is at fault, `errors[]`
 * naming it (`body.trades.0.amount`). Built in one place so no answer ever carries a stack trace.
 * @module
 */
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import type { z } from 'zod';
import type { ProblemDetails } from '@atc/contracts';
import { AtcError, httpStatusFor, InputError } from '@atc/platform';

export type ProblemField = NonNullable<ProblemDetails['errors']>[number];

/** What 5xx answers say: the cause is in the log line with the same request id, never in the body. */
export const GENERIC_SERVER_DETAIL =
  'The server could not complete the request; quote the request id to the operators.';

/** An HTTP-level refusal (404, 405, 413, 415, 429, 401, 403, a validation 400, a timeout 503). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly detail: string,
    readonly errors?: readonly ProblemField[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

/** The refusal of invalid input: one 400 that lists every bad field. */
export function invalidRequest(errors: readonly ProblemField[]): HttpProblem {
  return new HttpProblem(
    400,
    'invalid_request',
    'The request is invalid; see errors[] for each field.',
    errors,
  );
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].join('.');
}

/** Zod issues as problem fields under `prefix` (`body`, `query`, `params`); unknown keys one by one. */
export function fieldsFromZod(prefix: string, error: z.ZodError): ProblemField[] {
  return error.issues.flatMap((issue): ProblemField[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: joinPath(prefix, [...issue.path, key]),
        message: 'is not a known field',
      }));
    }
    return [{ path: joinPath(prefix, issue.path), message: issue.message }];
  });
}

/** InputError details from the domain (`{ issues: ['steps.0.amount: must be …'] }`) as problem fields. */
function fieldsFromInputError(error: InputError): ProblemField[] | undefined {
  const issues = error.details?.['issues'];
  if (!Array.isArray(issues)) return undefined;
  return issues.map((issue) => {
    const text = String(issue);
    const colon = text.indexOf(': ');
    return colon > 0
      ? { path: text.slice(0, colon), message: text.slice(colon + 2) }
      : { path: '', message: text };
  });
}

interface BodyParserError {
  readonly status: number;
  readonly type: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { type?: unknown }).type === 'string'
  );
}

/** Any thrown value as an HttpProblem: platform errors through `httpStatusFor`, the rest a generic 500. */
export function problemFrom(error: unknown, bodyLimitBytes: number): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof AtcError) {
    const status = httpStatusFor(error);
    if (status >= 500) return new HttpProblem(status, error.code, GENERIC_SERVER_DETAIL);
    const errors = error instanceof InputError ? fieldsFromInputError(error) : undefined;
    return new HttpProblem(status, error.code, error.message, errors);
  }
  if (error instanceof URIError && (error as { status?: unknown }).status === 400) {
    // The router could not percent-decode a path parameter.
    return new HttpProblem(400, 'invalid_request', 'A path parameter is not valid percent-encoded UTF-8.', [
      { path: 'params', message: 'is not valid percent-encoded UTF-8' },
    ]);
  }
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') {
      return new HttpProblem(413, 'payload_too_large', `The body exceeds ${bodyLimitBytes} bytes.`, [
        { path: 'body', message: `must be at most ${bodyLimitBytes} bytes` },
      ]);
    }
    if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      return new HttpProblem(415, 'unsupported_media_type', 'The body encoding is not supported.', [
        { path: 'headers.content-encoding', message: 'is not supported' },
      ]);
    }
    if (error.status >= 400 && error.status < 500) {
      return new HttpProblem(error.status, 'bad_request', 'The request body could not be read.', [
        { path: 'body', message: 'could not be read' },
      ]);
    }
  }
  return new HttpProblem(500, 'internal_error', GENERIC_SERVER_DETAIL);
}

/** The body of `problem` for the request `requestId`. */
export function problemBody(problem: HttpProblem, requestId: string): ProblemDetails {
  return {
    type: `urn:atc:problem:${problem.slug}`,
    title: STATUS_CODES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    requestId,
    ...(problem.errors && problem.errors.length > 0 ? { errors: [...problem.errors] } : {}),
  };
}

export function sendProblem(res: Response, problem: HttpProblem, requestId: string): void {
  if (problem.headers) res.set(problem.headers);
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(problem, requestId)));
}
