/**
 * A pg `Client` that reports every statement it runs, with the moment it was sent and the moment its
 * answer arrived (performance.now(), milliseconds). The benchmark gives every system under test a
 * pool built from it, so claim and completion times are taken at the same place — the database
 * driver — for our queue, graphile-worker and pg-boss alike, without touching their code.
 * @module
 */
import { performance } from 'node:perf_hooks';
import { Client, Pool, type PoolConfig, type QueryResultRow } from 'pg';

export interface ObservedStatement {
  readonly text: string;
  readonly values: readonly unknown[];
  /** The connection it ran on: statements of one transaction share it. */
  readonly connection: object;
  readonly sentAt: number;
}

/** The part of a statement's answer observers read. */
export interface ObservedResult {
  readonly rows: readonly QueryResultRow[];
}

/** Receives each statement that succeeded, when its answer has arrived. Must not throw. */
export type StatementObserver = (
  statement: ObservedStatement,
  result: ObservedResult,
  answeredAt: number,
) => void;

function observedResult(result: unknown): ObservedResult {
  // A multi-statement text answers with an array of results; none of the observed statements is one.
  const rows: unknown = (result as { rows?: unknown } | null)?.rows;
  return { rows: Array.isArray(rows) ? (rows as QueryResultRow[]) : [] };
}

type QueryConfigLike = { text?: unknown; values?: unknown };

function describe(args: readonly unknown[]): { text: string; values: readonly unknown[] } | undefined {
  const [first, second] = args;
  if (typeof first === 'string') return { text: first, values: Array.isArray(second) ? second : [] };
  if (typeof first === 'object' && first !== null && typeof (first as QueryConfigLike).text === 'string') {
    const config = first as QueryConfigLike;
    const values = Array.isArray(config.values) ? config.values : Array.isArray(second) ? second : [];
    return { text: config.text as string, values };
  }
  return undefined;
}

// Always called as baseQuery.apply(this, …), with the client as `this`.
// eslint-disable-next-line @typescript-eslint/unbound-method
const baseQuery = Client.prototype.query as unknown as (this: Client, ...args: unknown[]) => unknown;

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** A `Client` subclass bound to one observer; pass it to `new Pool({ Client })`. */
export function observedClientClass(observe: StatementObserver): typeof Client {
  return class ObservedClient extends Client {
    // pg's query() has a dozen overloads (text, config, callback, Submittable); this forwards them all
    // unchanged, so its own signature has to be the widest one.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: unknown[]): any {
      const described = describe(args);
      if (!described) return baseQuery.apply(this, args);
      const statement: ObservedStatement = { ...described, connection: this, sentAt: performance.now() };
      const last: unknown = args.at(-1);
      if (typeof last === 'function') {
        // Callback style, as pg's Pool#query uses internally.
        const callback = last as (error: Error | null, result: unknown) => void;
        const forwarded = [...args];
        forwarded[forwarded.length - 1] = (error: Error | null, result: unknown) => {
          if (!error) observe(statement, observedResult(result), performance.now());
          callback(error, result);
        };
        return baseQuery.apply(this, forwarded);
      }
      const pending = baseQuery.apply(this, args);
      if (!isPromise(pending)) return pending;
      return pending.then((result) => {
        observe(statement, observedResult(result), performance.now());
        return result;
      });
    }
  };
}

/** A pool whose connections report to `observe`. */
export function createObservedPool(config: PoolConfig, observe: StatementObserver): Pool {
  return new Pool({ ...config, Client: observedClientClass(observe) });
}
