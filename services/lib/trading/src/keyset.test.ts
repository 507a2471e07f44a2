import { keysetPage, timeKeyedPage } from './keyset';

describe('keyset pages', () => {
  const rows = [1, 2, 3].map((n) => ({ id: `id-${n}`, sortKey: `t${n}`, n }));

  it('a page of limit rows from limit + 1: the next key is the last kept row, absent on the last page', () => {
    const page = timeKeyedPage(rows, 2);
    expect(page.rows).toEqual([
      { id: 'id-1', n: 1 },
      { id: 'id-2', n: 2 },
    ]);
    expect(page.next).toEqual({ at: 't2', id: 'id-2' });
    expect(timeKeyedPage(rows, 3).next).toBeUndefined();
  });

  it('keysetPage takes the key of the last row kept', () => {
    expect(keysetPage([10, 20, 30], 2, (n) => n / 10)).toEqual({ rows: [10, 20], next: 2 });
    expect(keysetPage([10], 2, (n) => n)).toEqual({ rows: [10], next: undefined });
  });
});
