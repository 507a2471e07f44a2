import {
  applyFillToPosition,
  Exact,
  outcomeOf,
  type FillEffect,
  type FillInput,
  type PositionState,
} from './position-math';

const ONE = new Exact(1);
const fill = (side: 'buy' | 'sell', quantity: string, price: string, fee = '0'): FillInput => ({
  side,
  quantity: new Exact(quantity),
  price: new Exact(price),
  fee: new Exact(fee),
});

function run(fills: FillInput[], multiplier = ONE) {
  let position: PositionState | null = null;
  const realised: string[] = [];
  let last: FillEffect | undefined;
  for (const f of fills) {
    last = applyFillToPosition(position, f, multiplier);
    realised.push(last.realised.toFixed());
    position = last.reversed ?? last.position;
  }
  if (!last || !position) throw new Error('no fills');
  return { position, realised, last };
}

describe('position arithmetic', () => {
  it('opens a long and closes it with realised P&L', () => {
    const { last, realised } = run([fill('buy', '2', '100'), fill('sell', '2', '110.5')]);
    expect(realised).toEqual(['0', '21']);
    expect(last.closed).toBe(true);
    const outcome = outcomeOf(last.position);
    expect([outcome.realisedPnl.toFixed(), outcome.pnlFraction.toFixed(), outcome.outcomeType]).toEqual([
      '21',
      '0.105',
      'win',
    ]);
  });

  it('a short gains when the price falls', () => {
    const { last, realised } = run([fill('sell', '3', '50'), fill('buy', '3', '45')]);
    expect(last.position.side).toBe('short');
    expect(realised).toEqual(['0', '15']);
    expect(outcomeOf(last.position).outcomeType).toBe('win');
  });

  it('scale-in averages the entry price exactly (no binary floats)', () => {
    const { position } = run([fill('buy', '0.1', '0.1'), fill('buy', '0.2', '0.2')]);
    expect(position.quantity.toFixed()).toBe('0.3');
    // (0.01 + 0.04) / 0.3 = 0.1666…, kept to 18 places.
    expect(position.averagePrice.toFixed()).toBe('0.166666666666666667');
  });

  it('partial fills reduce step by step, keeping the average entry', () => {
    const { position, realised, last } = run([
      fill('buy', '10', '20'),
      fill('sell', '4', '25'),
      fill('sell', '3', '18'),
    ]);
    expect(realised).toEqual(['0', '20', '-6']);
    expect([
      position.quantity.toFixed(),
      position.averagePrice.toFixed(),
      position.realisedPnl.toFixed(),
    ]).toEqual(['3', '20', '14']);
    expect(last.closed).toBe(false);
  });

  it('fees reduce realised P&L and the multiplier scales options and futures', () => {
    const { last } = run([fill('buy', '1', '2.5', '0.65'), fill('sell', '1', '3', '0.65')], new Exact(100));
    expect(last.position.realisedPnl.toFixed()).toBe('48.7');
    expect(outcomeOf(last.position).pnlFraction.toFixed()).toBe('0.1948');
  });

  it('a sell larger than the long closes it and opens a short with the rest', () => {
    const { last } = run([fill('buy', '1', '100'), fill('sell', '3', '90')]);
    expect(last.closed).toBe(true);
    expect(outcomeOf(last.position).outcomeType).toBe('loss');
    expect(last.reversed).toMatchObject({ side: 'short' });
    expect([last.reversed!.quantity.toFixed(), last.reversed!.averagePrice.toFixed()]).toEqual(['2', '90']);
  });

  it('a round trip at the same price is breakeven', () => {
    expect(outcomeOf(run([fill('buy', '1', '5'), fill('sell', '1', '5')]).last.position).outcomeType).toBe(
      'breakeven',
    );
  });
});
