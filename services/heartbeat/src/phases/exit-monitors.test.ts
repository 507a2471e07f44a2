import { exitFor } from './exit-monitors';
import type { MarkedRow } from './position-marks.queries';

const position = (over: Partial<MarkedRow>): MarkedRow => ({
  id: '00000000-0000-4000-8000-000000000001',
  market: 'crypto',
  symbol: 'SOL',
  side: 'long',
  averagePrice: '100',
  mark: '100',
  highWater: '100',
  stopLoss: '95',
  takeProfit: '110',
  ...over,
});

describe('exit monitors', () => {
  it('a long at or below its stop closes for stop_loss; above it, nothing', () => {
    expect(exitFor(position({ mark: '95' }), 0)?.reason).toBe('stop_loss');
    expect(exitFor(position({ mark: '95.01' }), 0)).toBeNull();
  });

  it('a short stops out above its stop and takes profit below its target', () => {
    const short = { side: 'short' as const, stopLoss: '105', takeProfit: '90', highWater: '100' };
    expect(exitFor(position({ ...short, mark: '105' }), 0)?.reason).toBe('stop_loss');
    expect(exitFor(position({ ...short, mark: '90' }), 0)?.reason).toBe('take_profit');
    expect(exitFor(position({ ...short, mark: '100' }), 0)).toBeNull();
  });

  it('the trailing stop acts only once in profit', () => {
    expect(exitFor(position({ mark: '104', highWater: '109' }), 0.04)).toMatchObject({
      reason: 'trailing_stop',
      level: '104.64',
    });
    expect(exitFor(position({ mark: '96', highWater: '100' }), 0.03)).toBeNull();
    expect(exitFor(position({ mark: '104', highWater: '109' }), 0)).toBeNull();
  });
});
