/**
 * How `npm run api:examples` shows an answer: long JSON shortened for reading, and an event stream's
 * first frames (a stream never ends by itself).
 * @module
 */

const MAX_SHOWN_ITEMS = 3;
/** Objects nested deeper than this are shown as `{…}` (the OpenAPI document is long). */
export const MAX_SHOWN_DEPTH = 5;
const MAX_SHOWN_KEYS = 24;
/** How much of GET /api/stream the examples read before they hang up. */
const STREAM_SHOWN_FRAMES = 3;
const STREAM_READ_LIMIT_MS = 3_000;

/**
 * Long answers shortened for reading: the first items of every array and the first keys of every
 * object, saying how many were left out, and objects nested too deep shown as `{…}`.
 */
export function shortened(value: unknown, maxDepth: number, depth = 0): unknown {
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_SHOWN_ITEMS).map((v) => shortened(v, maxDepth, depth + 1));
    return value.length > MAX_SHOWN_ITEMS ? [...shown, `… ${value.length - MAX_SHOWN_ITEMS} more`] : shown;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length > 0 && depth >= maxDepth) return '{…}';
    const shown = entries.slice(0, MAX_SHOWN_KEYS).map(([k, v]) => [k, shortened(v, maxDepth, depth + 1)]);
    const left = entries.length - MAX_SHOWN_KEYS;
    return Object.fromEntries(left > 0 ? [...shown, ['…', `${left} more keys`]] : shown);
  }
  return value;
}

/** The first frames of an event stream, then the connection is closed (a stream never ends by itself). */
export async function firstFrames(response: Response, abort: AbortController): Promise<string> {
  // fetch's body is typed ReadableStream<any> here; its chunks are bytes.
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  const limit = setTimeout(() => abort.abort(), STREAM_READ_LIMIT_MS);
  try {
    while (text.split('\n\n').length <= STREAM_SHOWN_FRAMES) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(limit);
    abort.abort();
  }
  const frames = text.split('\n\n').filter((frame) => frame.length > 0);
  return `${frames.slice(0, STREAM_SHOWN_FRAMES).join('\n\n')}\n\n…`;
}
