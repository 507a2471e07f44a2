import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT } from '@atc/platform/testing';
import { ProposalInput } from '@atc/contracts';

/** The README's proposal examples (one per market) are valid proposals, so they stay true. */
describe('README proposal examples', () => {
  const readme = readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Proposals: units, pricing, one example per market');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const examples = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);

  it('has one example for each market', () => {
    expect(start).toBeGreaterThan(-1);
    // Read from the JSON itself; that each example parses is the next test.
    const markets = examples.map((example) =>
      (example as { steps: { market?: string }[] }).steps.map((step) => step.market),
    );
    expect(markets).toEqual([['crypto'], ['options'], ['futures']]);
  });

  it.each([0, 1, 2])('example %d parses with the contracts schema', (index) => {
    const parsed = ProposalInput.safeParse(examples[index]);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});
