/**
 * Trigger conditions as seeded in `trigger_rules.conditions`: each key names a fact and holds either
 * a value the fact must equal or an operator object (`$gt`, `$gte`, `$lt`, `$lte`, `$eq`, `$ne`).
 * Numbers compare as numbers (facts given as decimal strings are read as numbers: thresholds are
 * fractions such as -0.3, where binary rounding cannot change the answer that matters).
 * @module
 */
export type Facts = Readonly<Record<string, string | number | boolean | null | undefined>>;

const operators: Record<string, (fact: number, limit: number) => boolean> = {
  $gt: (a, b) => a > b,
  $gte: (a, b) => a >= b,
  $lt: (a, b) => a < b,
  $lte: (a, b) => a <= b,
};

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function matchesOne(fact: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) {
    return fact === expected || (asNumber(fact) !== undefined && asNumber(fact) === asNumber(expected));
  }
  return Object.entries(expected as Record<string, unknown>).every(([op, limit]) => {
    if (op === '$eq') return matchesOne(fact, limit);
    if (op === '$ne') return !matchesOne(fact, limit);
    const compare = operators[op];
    const a = asNumber(fact);
    const b = asNumber(limit);
    // An unknown operator or a missing fact never matches: a rule must not fire on what it cannot read.
    return compare !== undefined && a !== undefined && b !== undefined && compare(a, b);
  });
}

export function matchesConditions(conditions: Readonly<Record<string, unknown>>, facts: Facts): boolean {
  return Object.entries(conditions).every(([key, expected]) => matchesOne(facts[key], expected));
}

/** `Review big win on {{symbol}}` with the facts; an unknown placeholder renders as `?`. */
export function renderTemplate(template: string, facts: Facts): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_match, key: string) => {
    const value = facts[key];
    return value === undefined || value === null ? '?' : String(value);
  });
}
