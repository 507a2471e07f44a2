import type { z } from 'zod';
import { describeJsonProblem, findUnsafeJson } from '@atc/contracts';
import { InputError } from '@atc/platform';

/** Field-level messages: `steps.0.trade.stopLoss: must be a decimal string …`. */
export function zodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/**
 * Parses `value` or throws an InputError whose details list every bad field. Every input is first
 * held to the contracts' JSON limits (no NUL, no lone surrogate, bounded depth and string length),
 * so nothing PostgreSQL or `canonicalJson` would choke on gets past this point.
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const unsafe = findUnsafeJson(value);
  if (unsafe) {
    const issues = [describeJsonProblem(unsafe)];
    throw new InputError(`invalid ${what}: ${issues[0]}`, { details: { issues } });
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error);
  throw new InputError(`invalid ${what}: ${issues.join('; ')}`, { details: { issues } });
}
