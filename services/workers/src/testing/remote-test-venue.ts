/**
 * The journaling test venue served over HTTP, so that several worker processes — which the chaos
 * test SIGKILLs at random — trade against one venue whose journal outlives them. Only for tests.
 * Errors cross the wire as a code: `rejected` (422), `unavailable` (503 before anything happened),
 * `unknown` (504: the venue may or may not have the order).
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutcomeUnknownError } from '@atc/platform';
import type {
  ExecutionLookup,
  ExecutionOrderRequest,
  ExecutionVenue,
  ExecutionVenueOrder,
  ExecutionVenuePosition,
} from '@atc/trading';
import { VenueRejectedError, VenueUnavailableError } from '@atc/venues';
import type { TestVenue } from '@atc/venues/testing';
import type { Market, VenueQuote } from '@atc/contracts';

export interface ServedTestVenue {
  readonly url: string;
  /**
   * Resolves once no connection is open and no request is being handled (rejects after
   * `timeoutMs`). Call it after the workers are dead: it first lets the event loop accept what they
   * left in the listen backlog, so when it resolves the venue has answered everything it will ever
   * receive, and "not found" has become final.
   */
  quiesce(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function errorCode(error: unknown): { status: number; code: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof VenueRejectedError) return { status: 422, code: 'rejected', message };
  if (error instanceof VenueUnavailableError) return { status: 503, code: 'unavailable', message };
  return { status: 504, code: 'unknown', message };
}

/** Lets every callback already due run, I/O polled once more included: no time passes. */
const turnOfTheLoop = () => new Promise((resolve) => setImmediate(resolve));

export async function serveTestVenue(venue: TestVenue): Promise<ServedTestVenue> {
  let handling = 0;
  let connections = 0;
  let idleWaiters: (() => void)[] = [];
  const changed = () => {
    if (handling > 0 || connections > 0) return;
    const woken = idleWaiters;
    idleWaiters = [];
    for (const wake of woken) wake();
  };
  const server: Server = createServer((req, res) => {
    handling += 1;
    res.on('close', () => {
      handling -= 1;
      changed();
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const url = req.url ?? '/';
      const work: Promise<unknown> =
        req.method === 'POST' && url === '/orders'
          ? venue.submitOrder(
              JSON.parse(Buffer.concat(chunks).toString('utf8')) as Parameters<TestVenue['submitOrder']>[0],
            )
          : req.method === 'GET' && url.startsWith('/orders/')
            ? venue.lookupOrder(decodeURIComponent(url.slice('/orders/'.length)))
            : req.method === 'GET' && url === '/positions'
              ? venue.getPositions()
              : req.method === 'GET' && url.startsWith('/quotes/')
                ? venue.getQuote(decodeURIComponent(url.slice('/quotes/'.length)))
                : Promise.reject(new Error(`no route ${req.method} ${url}`));
      work.then(
        (body) => send(200, body),
        (error: unknown) => {
          const mapped = errorCode(error);
          send(mapped.status, { error: mapped.code, message: mapped.message });
        },
      );
    });
  });
  server.on('connection', (socket) => {
    connections += 1;
    socket.once('close', () => {
      connections -= 1;
      changed();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    quiesce: async (timeoutMs = 15_000) => {
      // Two turns: the second one's poll phase accepts any connection still in the backlog.
      await turnOfTheLoop();
      await turnOfTheLoop();
      await new Promise<void>((resolve, reject) => {
        // eslint-disable-next-line no-restricted-syntax -- the deadline that fails the wait, not a sleep
        const deadline = setTimeout(
          () =>
            reject(new Error(`the test venue still had ${connections} connections after ${timeoutMs} ms`)),
          timeoutMs,
        );
        idleWaiters.push(() => {
          clearTimeout(deadline);
          resolve();
        });
        changed();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The worker side: the execution port over HTTP. A connection refused proves nothing was sent. */
export class RemoteTestVenue implements ExecutionVenue {
  readonly name = 'test';

  constructor(
    readonly market: Market,
    private readonly url: string,
  ) {}

  async submitOrder(request: ExecutionOrderRequest): Promise<ExecutionVenueOrder> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      throw new OutcomeUnknownError('test', 'submit_order', { cause: error });
    }
    const body = (await response.json()) as ExecutionVenueOrder | { error: string; message: string };
    if ('error' in body) {
      if (body.error === 'rejected') throw new VenueRejectedError('test', body.message);
      if (body.error === 'unavailable') throw new VenueUnavailableError('test', body.message);
      throw new OutcomeUnknownError('test', 'submit_order', { cause: new Error(body.message) });
    }
    return body;
  }

  async lookupOrder(clientOrderId: string): Promise<ExecutionLookup> {
    const response = await fetch(`${this.url}/orders/${encodeURIComponent(clientOrderId)}`, {
      signal: AbortSignal.timeout(5_000),
    });
    return (await response.json()) as ExecutionLookup;
  }

  async getQuote(instrument: string): Promise<VenueQuote> {
    const response = await fetch(`${this.url}/quotes/${encodeURIComponent(instrument)}`, {
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as VenueQuote | { error: string; message: string };
    if ('error' in body) throw new VenueRejectedError('test', body.message);
    return body;
  }

  async getPositions(): Promise<ExecutionVenuePosition[]> {
    const response = await fetch(`${this.url}/positions`, { signal: AbortSignal.timeout(5_000) });
    return (await response.json()) as ExecutionVenuePosition[];
  }
}
