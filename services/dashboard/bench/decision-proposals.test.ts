import {
  optionLimitSymbols,
  proposalTemplates,
  roundUpToCent,
  withMarketableOptionLimits,
} from './decision-proposals';

describe('bench:decision proposals', () => {
  it('rounds a price up to the cent in decimal arithmetic', () => {
    expect(roundUpToCent('1.2')).toBe('1.20');
    expect(roundUpToCent('1.231')).toBe('1.24');
    expect(roundUpToCent('0.4500')).toBe('0.45');
    expect(roundUpToCent('7')).toBe('7.00');
    expect(() => roundUpToCent('1e3')).toThrow('not a decimal price');
  });

  it("sets the options limit to the venue's ask plus 5 % and leaves the other markets alone", () => {
    const templates = proposalTemplates(undefined);
    const [symbol] = optionLimitSymbols(templates);
    expect(symbol).toBe('SPY270115C00650000');
    const priced = withMarketableOptionLimits(templates, { [symbol!]: '3.456' });
    const options = priced.find((template) => template.market === 'options')!;
    const trade = (options.body.steps as { trade: { limitPrice: string } }[])[0]!.trade;
    // 3.456 → 3.46, plus 5 % = 3.633 → 3.64.
    expect(trade.limitPrice).toBe('3.64');
    expect(priced.filter((template) => template.market !== 'options')).toEqual(
      templates.filter((template) => template.market !== 'options'),
    );
  });
});
