import {
  DEFAULT_PRIORITY_FEE_LAMPORTS,
  orderPriorityFeeLamports,
  PRIORITY_FEE_SPREAD_LAMPORTS,
} from './jupiter-priority-fee';

describe('orderPriorityFeeLamports', () => {
  const ids = Array.from(
    { length: 200 },
    (_, i) => `atc-00000000-0000-4000-8000-${String(i).padStart(12, '0')}-0`,
  );

  it('is the base plus a per-order offset below the spread, the same every time for one id', () => {
    for (const id of ids) {
      const fee = orderPriorityFeeLamports(DEFAULT_PRIORITY_FEE_LAMPORTS, id);
      expect(Number.isSafeInteger(fee)).toBe(true);
      expect(fee).toBeGreaterThanOrEqual(DEFAULT_PRIORITY_FEE_LAMPORTS);
      expect(fee).toBeLessThan(DEFAULT_PRIORITY_FEE_LAMPORTS + PRIORITY_FEE_SPREAD_LAMPORTS);
      expect(orderPriorityFeeLamports(DEFAULT_PRIORITY_FEE_LAMPORTS, id)).toBe(fee);
    }
    expect(orderPriorityFeeLamports(0, ids[0]!) + 7_000).toBe(orderPriorityFeeLamports(7_000, ids[0]!));
  });

  it('spreads orders over the offsets: ids that differ in one character rarely share a fee', () => {
    const fees = new Set(ids.map((id) => orderPriorityFeeLamports(DEFAULT_PRIORITY_FEE_LAMPORTS, id)));
    // 200 ids over 1,000 offsets: about 20 shared by chance; a constant or near-constant offset gives 1.
    expect(fees.size).toBeGreaterThan(150);
    // Attempts of one step are different orders with different fees.
    expect(orderPriorityFeeLamports(5_000, 'atc-x-0')).not.toBe(orderPriorityFeeLamports(5_000, 'atc-x-1'));
  });

  it('refuses a base that is not a whole number of lamports', () => {
    for (const bad of [-1, 1.5, Number.NaN])
      expect(() => orderPriorityFeeLamports(bad, 'c')).toThrow(RangeError);
  });
});
