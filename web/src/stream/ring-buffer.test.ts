import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps at most its capacity, dropping the oldest, in order', () => {
    const buffer = new RingBuffer<number>(2000);
    for (let i = 1; i <= 5000; i += 1) buffer.push(i);
    expect(buffer.size).toBe(2000);
    const items = buffer.toArray();
    expect(items).toHaveLength(2000);
    expect(items[0]).toBe(3001);
    expect(items.at(-1)).toBe(5000);
  });

  it('holds fewer than its capacity as pushed, and empties on clear', () => {
    const buffer = new RingBuffer<string>(3);
    buffer.push('a');
    buffer.push('b');
    expect(buffer.toArray()).toEqual(['a', 'b']);
    buffer.clear();
    expect(buffer.toArray()).toEqual([]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow('capacity');
  });
});
