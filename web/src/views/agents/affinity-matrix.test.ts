import { AFFINITY_SCALE, affinityClass, affinityLevel } from './affinity-matrix';

describe('the affinity scale', () => {
  it.each([
    ['0.10', -3],
    ['0.20', -3],
    ['0.21', -2],
    ['0.30', -2],
    ['0.31', -1],
    ['0.40', -1],
    ['0.41', 0],
    ['0.50', 0],
    ['0.59', 0],
    ['0.60', 1],
    ['0.69', 1],
    ['0.70', 2],
    ['0.79', 2],
    ['0.80', 3],
    ['0.95', 3],
  ])('puts %s at level %d, diverging from 0.5', (affinity, level) => {
    expect(affinityLevel(affinity)).toBe(level);
  });

  it('agrees with its legend: every level the scale draws has a range that holds it', () => {
    for (let hundredths = 10; hundredths <= 95; hundredths += 1) {
      const value = (hundredths / 100).toFixed(2);
      const entry = AFFINITY_SCALE.find((step) => step.level === affinityLevel(value))!;
      const [low, high] = entry.range.startsWith('≤')
        ? [0, Number(entry.range.slice(2))]
        : entry.range.startsWith('≥')
          ? [Number(entry.range.slice(2)), 1]
          : entry.range.split('–').map(Number);
      expect([value, Number(value) >= low! && Number(value) <= high!]).toEqual([value, true]);
    }
  });

  it('names a class per level', () => {
    expect([-3, -1, 0, 2].map(affinityClass)).toEqual([
      'affinity-low-3',
      'affinity-low-1',
      'affinity-neutral',
      'affinity-high-2',
    ]);
  });
});
