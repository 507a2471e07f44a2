import { InputError } from '@atc/platform';
import { decodeCursor, encodeCursor, IdCursor, nextCursorOf, TimeKeyCursor } from './page-cursor';

const key = { at: '2031-02-04T15:00:00.123456+00:00', id: '0b7f9a52-3f63-4c55-9a31-6b3b0e3c2f10' };

describe('page cursors', () => {
  it('round-trip the last row key, microseconds included', () => {
    expect(decodeCursor(encodeCursor(key), TimeKeyCursor)).toEqual(key);
    expect(decodeCursor(encodeCursor('42'), IdCursor)).toBe('42');
    expect(decodeCursor(undefined, TimeKeyCursor)).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['an offset', Buffer.from('50').toString('base64url')],
    ['SQL in the time', encodeCursor({ at: "now()'; drop table atc.proposals; --", id: key.id })],
    ['a non-uuid id', encodeCursor({ at: key.at, id: '1 or 1=1' })],
    ['an extra key', encodeCursor({ ...key, offset: 10 })],
  ])('refuse %s, naming the field', (_what, cursor) => {
    expect(() => decodeCursor(cursor, TimeKeyCursor)).toThrow(InputError);
    expect(() => decodeCursor(cursor, TimeKeyCursor)).toThrow(/^query\.cursor:/);
  });

  it('the last page has no next cursor', () => {
    expect(nextCursorOf(undefined)).toBeNull();
    expect(decodeCursor(nextCursorOf(key)!, TimeKeyCursor)).toEqual(key);
  });
});
