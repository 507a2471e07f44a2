/**
 * The client order id of a step's attempt: deterministic, so the intent committed before the venue
 * call and a later lookup after an ambiguous failure name the same order; letters, digits and dashes
 * only, which every venue (Tradier's `tag` included) accepts.
 */
export function clientOrderId(stepId: string, attempt: number): string {
  if (!/^[0-9a-f-]{36}$/i.test(stepId)) throw new Error(`step id ${stepId} is not a uuid`);
  if (!Number.isInteger(attempt) || attempt < 0)
    throw new Error(`attempt ${attempt} is not a non-negative integer`);
  return `atc-${stepId.toLowerCase()}-${attempt}`;
}
