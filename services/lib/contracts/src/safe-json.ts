import { z } from 'zod';

/**
 * Limits every JSON document that crosses a boundary (a proposal, a policy, a simulator fault rule)
 * is held to before a schema reads it, and certainly before PostgreSQL sees it: PostgreSQL refuses
 * NUL characters in text and jsonb (`invalid byte sequence for encoding "UTF8": 0x00`), refuses lone
 * UTF-16 surrogates in jsonb (`invalid input syntax for type json`), and recursive code such as
 * `canonicalJson` must never meet a document deep enough to exhaust the stack.
 */
export const JSON_LIMITS = {
  /** Nesting levels of objects and arrays; the document itself is level 1. */
  maxDepth: 32,
  /** UTF-16 code units in any one string or object key. */
  maxStringLength: 100_000,
  /** Objects, arrays and primitives in the whole document. */
  maxNodes: 100_000,
} as const;

export type JsonLimits = { readonly [K in keyof typeof JSON_LIMITS]: number };

export interface JsonProblem {
  /** Where the problem is: `steps.0.details.note`; empty for the document itself. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as text, or undefined when it can. */
export function unsafeTextReason(
  text: string,
  maxLength: number = JSON_LIMITS.maxStringLength,
): string | undefined {
  if (text.length > maxLength) return `is longer than ${maxLength} characters`;
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (invalid Unicode)';
  return undefined;
}

export function formatJsonPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(document)' : path.map(String).join('.');
}

/**
 * Walks `value` without recursion (an explicit stack, so a hostile depth cannot overflow ours) and
 * returns the first problem found, or undefined. Keys are checked like strings.
 */
export function findUnsafeJson(value: unknown, limits: JsonLimits = JSON_LIMITS): JsonProblem | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    nodes += 1;
    if (nodes > limits.maxNodes) return { path: [], message: `has more than ${limits.maxNodes} values` };
    if (typeof item === 'string') {
      const reason = unsafeTextReason(item, limits.maxStringLength);
      if (reason) return { path, message: reason };
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    // An object or array at path length n is nesting level n + 1.
    if (path.length + 1 > limits.maxDepth) {
      return { path, message: `is nested deeper than ${limits.maxDepth} levels` };
    }
    const entries: [string | number, unknown][] = Array.isArray(item)
      ? item.map((member, index): [number, unknown] => [index, member])
      : Object.entries(item);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, member] = entries[i]!;
      if (typeof key === 'string') {
        const reason = unsafeTextReason(key, limits.maxStringLength);
        if (reason) return { path: [...path, key], message: `key ${reason}` };
      }
      stack.push({ value: member, path: [...path, key] });
    }
  }
  return undefined;
}

/** `path: message`, the one-line form every caller prints. */
export function describeJsonProblem(problem: JsonProblem): string {
  return `${formatJsonPath(problem.path)}: ${problem.message}`;
}

/**
 * Wraps a schema so that the document is checked against `JSON_LIMITS` first: an unsafe document
 * fails with one issue at the offending path, and the wrapped schema never sees it.
 */
export function safeJson<T extends z.ZodType>(schema: T, limits: JsonLimits = JSON_LIMITS) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      const problem = findUnsafeJson(value, limits);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: [...problem.path] });
    })
    .pipe(schema);
}
