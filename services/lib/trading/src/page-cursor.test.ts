import { InputError } from '@atc/platform';
import { decodePageCursor, encodePageCursor, pageFromRows } from './page-cursor';

const key = { at: '2031-02-04 15:00:00.123456+00', id: '0b7f9a52-3f63-4c55-9a31-6b3b0e3c2f10' };

describe('keyset page cursors', () => {
  it('round-trip the last row key, microseconds included', () => {
    expect(decodePageCursor(encodePageCursor(key))).toEqual(key);
    expect(decodePageCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['an offset', Buffer.from('50').toString('base64url')],
    ['SQL in the time', encodePageCursor({ at: "now()'; drop table atc.proposals; --", id: key.id })],
    ['a non-uuid id', encodePageCursor({ at: key.at, id: '1 or 1=1' })],
  ])('refuse %s, naming the field', (_what, cursor) => {
    expect(() => decodePageCursor(cursor)).toThrow(InputError);
    expect(() => decodePageCursor(cursor)).toThrow(/^cursor:/);
  });

  it('a page of limit rows from limit + 1: the cursor is the last kept row, absent on the last page', () => {
    const rows = [1, 2, 3].map((n) => ({ id: `id-${n}`, pageAt: `t${n}`, n }));
    const page = pageFromRows(rows, 2);
    expect(page.items).toEqual([
      { id: 'id-1', n: 1 },
      { id: 'id-2', n: 2 },
    ]);
    expect(JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString())).toEqual(['t2', 'id-2']);
    expect(pageFromRows(rows, 3).nextCursor).toBeNull();
  });
});
