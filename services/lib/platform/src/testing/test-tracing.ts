/**
 * The test hook of the tracing module: registers a tracer provider that keeps finished spans in
 * memory (InMemorySpanExporter through a SimpleSpanProcessor, so a span is readable the moment it
 * ends), the async-hooks context manager and the W3C propagator — what `startTracing` registers, with
 * the OTLP exporter swapped out — and marks tracing active for `withSpan`, `activeTraceparent` and the
 * logger. The instrumentations are the ones `startTracing` uses. Jest loads modules through its own
 * registry rather than `require`, so the hooks that patch `pg` as it is required never fire here: the
 * pg instrumentation's own patch is applied to the `pg` module this test file loaded.
 * @module
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { node } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { setTracingActive } from '../tracing/trace-context';
import { tracingInstrumentations } from '../tracing/tracing-sdk';

export interface TestTracing {
  /** Every span ended since the start (or the last `reset`), in end order. */
  spans(): ReadableSpan[];
  reset(): void;
  /** Unregisters everything; tracing is off again. */
  stop(): Promise<void>;
}

export function startTestTracing(options: { readonly pg?: object } = {}): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  const instrumentations = tracingInstrumentations();
  const patched: { unpatch?: (moduleExports: object) => unknown }[] = [];
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(provider);
    if (options.pg === undefined) continue;
    for (const definition of instrumentation.getModuleDefinitions()) {
      if (definition.name !== 'pg') continue;
      definition.patch?.(options.pg);
      patched.push(definition);
    }
  }
  setTracingActive(true);
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async stop() {
      setTracingActive(false);
      for (const definition of patched) if (options.pg !== undefined) definition.unpatch?.(options.pg);
      for (const instrumentation of instrumentations) instrumentation.disable();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
