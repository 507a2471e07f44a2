/**
 * The tracing API the rest of the code uses: spans, the W3C `traceparent` stored on proposals,
 * missions and steps, and the ids a log line carries. Only `@opentelemetry/api` is loaded here; until
 * a tracer provider is registered (`startTracing`, or a test's `startTestTracing`) every function is
 * a cheap no-op: `withSpan` runs its function directly and `activeTraceparent` is null.
 * @module
 */
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';

const TRACER_NAME = 'atc';
const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

let active = false;

/** True while a tracer provider is registered by this module's starters. */
export function tracingActive(): boolean {
  return active;
}

/** For `startTracing` and the test hook only. */
export function setTracingActive(value: boolean): void {
  active = value;
}

/** A span that records nothing, for `withSpan` while tracing is off. */
const NON_RECORDING = trace.wrapSpanContext({
  traceId: '0'.repeat(32),
  spanId: '0'.repeat(16),
  traceFlags: 0,
});

export interface SpanOptions {
  readonly attributes?: Attributes;
  /** The parent; the active context by default (see `contextOfTraceparent`). */
  readonly parent?: Context;
}

/**
 * Runs `fn` inside a new active span named `name`, ended when `fn` settles; a throw is recorded on
 * the span (status error) and rethrown.
 */
export async function withSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  if (!active) return fn(NON_RECORDING);
  const parent = options.parent ?? context.active();
  return trace
    .getTracer(TRACER_NAME)
    .startActiveSpan(name, { attributes: options.attributes ?? {} }, parent, async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
}

/** The W3C `traceparent` of the active span, to store on a row; null when tracing is off or no span is active. */
export function activeTraceparent(): string | null {
  if (!active) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/**
 * The W3C headers (`traceparent`, `tracestate`) naming the active span, for an outgoing request
 * whose server may continue the trace (the simulator does; a venue ignores them); none when off.
 */
export function activeTraceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (active) propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * A context whose parent is the span a stored `traceparent` names (extracted with the registered
 * W3C propagator), for a span that continues another process's trace; the root context when there
 * is none, so the span starts a trace of its own.
 */
export function contextOfTraceparent(traceparent: string | null | undefined): Context {
  if (!active || !traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/**
 * `trace_id` and `span_id` of the active span, for the logger's mixin: the same frozen empty object
 * when tracing is off or no span is active, so a log line outside a span pays one boolean check.
 */
export function activeSpanLogFields(): Readonly<Record<string, string>> {
  if (!active) return NO_FIELDS;
  const span = trace.getSpan(context.active());
  if (!span) return NO_FIELDS;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return NO_FIELDS;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
