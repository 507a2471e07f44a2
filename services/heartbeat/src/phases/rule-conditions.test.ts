import { matchesConditions, renderTemplate } from './rule-conditions';

describe('trigger rule conditions', () => {
  it('compares fractions given as decimal strings', () => {
    const big = { pnlFraction: { $lt: -0.3 }, outcomeType: 'loss' };
    expect(matchesConditions(big, { pnlFraction: '-0.35', outcomeType: 'loss' })).toBe(true);
    expect(matchesConditions(big, { pnlFraction: '-0.25', outcomeType: 'loss' })).toBe(false);
    expect(matchesConditions(big, { pnlFraction: '-0.35', outcomeType: 'win' })).toBe(false);
  });

  it('never matches a missing fact or an unknown operator', () => {
    expect(matchesConditions({ confidence: { $gt: 0.8 } }, {})).toBe(false);
    expect(matchesConditions({ confidence: { $near: 0.8 } }, { confidence: 0.9 })).toBe(false);
    expect(matchesConditions({ openPositionCount: { $gte: 3 } }, { openPositionCount: 3 })).toBe(true);
  });

  it('renders templates, marking unknown placeholders', () => {
    expect(renderTemplate('Review {{symbol}} at {{x}}', { symbol: 'SOL' })).toBe('Review SOL at ?');
  });
});
