import { z } from 'zod';
import { canonicalJson, CANONICAL_JSON_MAX_DEPTH, ProposalInput } from './proposals';
import { describeJsonProblem, findUnsafeJson, JSON_LIMITS, safeJson } from './safe-json';

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { inner: value };
  return value;
}

const proposal = (overrides: Record<string, unknown>) => ({
  source: 'operator',
  sourceTraceId: 'safe-json-1',
  agent: 'atlas',
  title: 'A title',
  confidence: 0.5,
  steps: [{ kind: 'analyze', topic: 'SOL', details: { note: 'fine' } }],
  ...overrides,
});

describe('findUnsafeJson', () => {
  it('accepts an ordinary document', () => {
    expect(findUnsafeJson(proposal({}))).toBeUndefined();
  });

  it('names the path of a NUL character', () => {
    const problem = findUnsafeJson(proposal({ title: 'bad\u0000title' }));
    expect(problem && describeJsonProblem(problem)).toBe('title: contains a NUL character (\\u0000)');
  });

  it('names the path of a lone surrogate, and lets a proper pair through', () => {
    const problem = findUnsafeJson(proposal({ title: 'bad\ud800' }));
    expect(problem && describeJsonProblem(problem)).toMatch(/^title: contains a lone UTF-16 surrogate/);
    expect(findUnsafeJson(proposal({ title: 'x\udc00' }))?.path).toEqual(['title']);
    expect(findUnsafeJson(proposal({ title: 'emoji \ud83d\ude00 is fine' }))).toBeUndefined();
  });

  it('checks object keys too', () => {
    const problem = findUnsafeJson({ steps: [{ details: { 'k\u0000': 1 } }] });
    expect(problem?.path).toEqual(['steps', 0, 'details', 'k\u0000']);
    expect(problem?.message).toMatch(/^key contains a NUL/);
  });

  it('refuses a document nested 5,000 deep without recursing, naming where it gets too deep', () => {
    const problem = findUnsafeJson(
      proposal({ steps: [{ kind: 'analyze', topic: 'x', details: nested(5000) }] }),
    );
    expect(problem?.message).toBe(`is nested deeper than ${JSON_LIMITS.maxDepth} levels`);
    expect(problem?.path.slice(0, 3)).toEqual(['steps', 0, 'details']);
    expect(problem?.path).toHaveLength(JSON_LIMITS.maxDepth);
  });

  it('refuses an oversized string with its path', () => {
    const problem = findUnsafeJson({ rationale: 'x'.repeat(JSON_LIMITS.maxStringLength + 1) });
    expect(problem && describeJsonProblem(problem)).toBe(
      `rationale: is longer than ${JSON_LIMITS.maxStringLength} characters`,
    );
  });
});

describe('safeJson', () => {
  it('stops before the wrapped schema and reports one issue at the path', () => {
    const schema = safeJson(ProposalInput);
    const parsed = schema.safeParse(proposal({ title: 'a\u0000b' }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['title', 'contains a NUL character (\\u0000)'],
    ]);
    expect(schema.safeParse(proposal({})).success).toBe(true);
  });

  it('keeps the wrapped schema strict', () => {
    expect(safeJson(z.object({ a: z.number() }).strict()).safeParse({ a: 1, b: 2 }).success).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('refuses a document deeper than its limit with a RangeError naming it, not a stack overflow', () => {
    expect(() => canonicalJson(nested(5000))).toThrow(
      new RangeError(`canonicalJson: value is nested deeper than ${CANONICAL_JSON_MAX_DEPTH} levels`),
    );
    expect(canonicalJson(nested(100))).toContain('"bottom"');
  });
});
