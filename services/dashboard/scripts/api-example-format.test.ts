import { firstFrames, shortened } from './api-example-format';

/** A response whose body sends `chunks` and then stays open, as an event stream does. */
function openStream(chunks: readonly string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

describe('shortened', () => {
  it('keeps the first three items of a long array and says how many were left out', () => {
    expect(shortened([1, 2, 3, 4, 5], 5)).toEqual([1, 2, 3, '… 2 more']);
    expect(shortened([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });

  it('keeps the first 24 keys of an object and says how many were left out', () => {
    const wide = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`k${i}`, i]));
    const shown = shortened(wide, 5) as Record<string, unknown>;
    expect(Object.keys(shown)).toHaveLength(25);
    expect(shown['k23']).toBe(23);
    expect(shown['k24']).toBeUndefined();
    expect(shown['…']).toBe('2 more keys');
  });

  it('shows a non-empty object deeper than the depth as {…}, and keeps scalars and empty objects', () => {
    const value = { a: { b: { c: 1 }, empty: {}, n: 2 } };
    expect(shortened(value, 2)).toEqual({ a: { b: '{…}', empty: {}, n: 2 } });
    expect(shortened(value, 3)).toEqual(value);
  });
});

describe('firstFrames', () => {
  it('reads the first three frames of a stream that stays open, then aborts', async () => {
    const abort = new AbortController();
    const response = openStream([
      'retry: 3000\n\nid: 1\ndata: {}\n\n',
      'id: 2\ndata: {}\n\nid: 3\ndata: {}\n\n',
    ]);
    await expect(firstFrames(response, abort)).resolves.toBe(
      'retry: 3000\n\nid: 1\ndata: {}\n\nid: 2\ndata: {}\n\n…',
    );
    expect(abort.signal.aborted).toBe(true);
  });

  it('answers what a stream that ends early sent', async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('retry: 3000\n\n'));
        controller.close();
      },
    });
    await expect(firstFrames(new Response(body), new AbortController())).resolves.toBe('retry: 3000\n\n…');
  });
});
