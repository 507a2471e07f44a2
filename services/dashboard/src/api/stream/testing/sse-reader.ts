/**
 * A minimal Server-Sent Events client for the stream's tests and benchmark: parses frames as they
 * arrive and lets a test await a condition on what has arrived (no sleeping).
 * @module
 */
import http, { type IncomingHttpHeaders } from 'node:http';

export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
  /** performance.now() when the frame was parsed. */
  readonly receivedAt: number;
}

export class SseReader {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  retry: number | undefined;
  ended = false;
  private buffer = '';
  private waiters: (() => void)[] = [];
  private onMessage: ((message: SseMessage) => void) | undefined;

  private constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    readonly body: http.IncomingMessage,
  ) {
    body.setEncoding('utf8');
    body.on('data', (chunk: string) => this.take(chunk));
    const end = () => {
      this.ended = true;
      this.wake();
    };
    body.on('end', end);
    body.on('close', end);
    body.on('error', end);
  }

  /** Connects; resolves with the response (whatever its status). */
  static open(
    url: string,
    headers: Record<string, string> = {},
    onMessage?: (message: SseMessage) => void,
  ): Promise<SseReader> {
    return new Promise((resolve, reject) => {
      const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
      request.once('error', reject);
      request.once('response', (response) => {
        const reader = new SseReader(response.statusCode ?? 0, response.headers, response);
        reader.onMessage = onMessage;
        resolve(reader);
      });
    });
  }

  /** The events' ids, in arrival order (not resets or comments). */
  ids(): string[] {
    return this.messages.filter((m) => m.id !== undefined).map((m) => m.id!);
  }

  /** The raw body text so far (for a problem+json answer). */
  text = '';

  until(what: string, check: (reader: SseReader) => boolean, deadlineMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      // eslint-disable-next-line no-restricted-syntax -- the deadline that fails the wait, not a sleep
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting until ${what}; got ${this.ids().length} events`)),
        deadlineMs,
      );
      const test = () => {
        if (check(this)) {
          clearTimeout(timer);
          resolve();
        } else if (this.ended) {
          clearTimeout(timer);
          reject(new Error(`stream ended before ${what}; got ${this.ids().length} events`));
        } else {
          this.waiters.push(test);
        }
      };
      test();
    });
  }

  close(): void {
    this.body.destroy();
  }

  private wake(): void {
    const woken = this.waiters;
    this.waiters = [];
    for (const wake of woken) wake();
  }

  private take(chunk: string): void {
    this.text += chunk.length < 65_536 && this.text.length < 65_536 ? chunk : '';
    this.buffer += chunk;
    let end = this.buffer.indexOf('\n\n');
    while (end !== -1) {
      this.parse(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end + 2);
      end = this.buffer.indexOf('\n\n');
    }
    this.wake();
  }

  private parse(block: string): void {
    let id: string | undefined;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
    }
    if (id === undefined && event === undefined && data.length === 0) return;
    const message = { id, event, data: data.join('\n'), receivedAt: performance.now() };
    if (this.onMessage) this.onMessage(message);
    else this.messages.push(message);
  }
}
