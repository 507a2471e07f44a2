import { ProposalInput } from '@atc/contracts';
import { readmeProposalExamples } from './testing/readme-proposals';

/** The README's proposal examples (one per market) are valid proposals, so they stay true. */
describe('README proposal examples', () => {
  const examples = readmeProposalExamples();

  it('has one example for each market', () => {
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
