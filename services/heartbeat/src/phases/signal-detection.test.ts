import { detectSignal, type PriceSample } from './signal-detection';

const settings = { minSamples: 5, momentumThreshold: 0.002, breakoutMargin: 0, volumeSpikeMultiple: 3 };
const series = (prices: string[], volumes?: string[]): PriceSample[] =>
  prices.map((last, i) => ({ last, volume: volumes?.[i] ?? null }));

describe("intel's signal detectors", () => {
  it('needs the minimum number of samples', () => {
    expect(detectSignal(series(['100', '101', '102', '103']), settings)).toBeNull();
  });

  it('momentum and a breakout together make a confident long', () => {
    const signal = detectSignal(series(['100', '100.1', '100.2', '100.3', '100.5']), settings);
    expect(signal).toMatchObject({ direction: 'long', kinds: ['momentum', 'breakout'], confidence: 0.8 });
  });

  it('a breakout alone is a weaker signal; a flat market is none', () => {
    expect(detectSignal(series(['100', '99.9', '100.05', '99.95', '100.1']), settings)).toMatchObject({
      direction: 'long',
      kinds: ['breakout'],
      confidence: 0.65,
    });
    expect(detectSignal(series(['100', '100.05', '99.98', '100.02', '100']), settings)).toBeNull();
  });

  it('a falling market gives a short; a volume spike adds confidence', () => {
    const signal = detectSignal(
      series(['100', '99.9', '99.8', '99.7', '99.5'], ['1000', '1010', '1020', '1030', '1100']),
      settings,
    );
    expect(signal).toMatchObject({ direction: 'short', kinds: ['momentum', 'breakout', 'volume_spike'] });
    expect(signal!.confidence).toBeCloseTo(0.85);
  });
});
