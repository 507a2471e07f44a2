import { duplicateOrders, proposalProblems, unrecordedOrders, type Submissions } from './trade-flow';

const order = (clientOrderId: string | null, venue = 'solana') => ({
  venue,
  clientOrderId,
  outcome: 'accepted',
});

const account = (overrides: Partial<Parameters<typeof proposalProblems>[1][number]> = {}) => ({
  id: 'p1',
  status: 'approved',
  reason: null,
  missions: 1,
  tradeSteps: 1,
  terminalSteps: 1,
  stepStatuses: ['succeeded'],
  ...overrides,
});

const submitted = (...ids: string[]): Submissions => ({
  decided: new Map(ids.map((id) => [id, 'approved'])),
  failed: 0,
});

describe('duplicateOrders', () => {
  it('names a client order id the venue received twice, per venue', () => {
    expect(
      duplicateOrders([order('a'), order('b'), order('a'), order('b', 'tradier'), order(null), order(null)]),
    ).toEqual(['solana:a']);
  });
});

describe('unrecordedOrders', () => {
  it('names an order no step recorded', () => {
    expect(unrecordedOrders([order('a'), order('x'), order(null)], new Set(['a']))).toEqual(['solana:x']);
  });
});

describe('proposalProblems', () => {
  it('accepts each approved proposal with one mission and one terminal trade step', () => {
    expect(proposalProblems(submitted('p1'), [account()])).toEqual([]);
  });

  it('accepts a rejected proposal without a mission', () => {
    expect(
      proposalProblems(submitted('p1'), [
        account({ status: 'rejected', missions: 0, tradeSteps: 0, terminalSteps: 0 }),
      ]),
    ).toEqual([]);
  });

  it('reports a submitted proposal missing from the database', () => {
    expect(proposalProblems(submitted('p1', 'p2'), [account()])).toEqual([
      'proposal p2 was submitted but is not in the database',
    ]);
  });

  it('reports a duplicated trade step and one still in flight', () => {
    expect(
      proposalProblems(submitted('p1'), [
        account({ tradeSteps: 2, terminalSteps: 1, stepStatuses: ['succeeded', 'running'] }),
      ]),
    ).toEqual([
      'proposal p1 has 2 trade steps',
      "proposal p1's trade step is not terminal: succeeded, running",
    ]);
  });

  it('reports an approved proposal that lost its mission', () => {
    expect(
      proposalProblems(submitted('p1'), [account({ missions: 0, tradeSteps: 0, terminalSteps: 0 })]),
    ).toEqual(['proposal p1 has 0 missions', 'proposal p1 has 0 trade steps']);
  });
});
