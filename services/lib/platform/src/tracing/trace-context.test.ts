import { captureLogger } from '../testing/captured-logger';
import { startTestTracing, type TestTracing } from '../testing/test-tracing';
import { serviceNameOf, startTracing } from './start-tracing';
import {
  activeSpanLogFields,
  activeTraceparent,
  contextOfTraceparent,
  tracingActive,
  withSpan,
} from './trace-context';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('tracing off (no provider registered)', () => {
  it('runs the function, stores no traceparent and adds nothing to a log line', async () => {
    expect(tracingActive()).toBe(false);
    const captured = captureLogger();
    const inside = await withSpan('test.off', {}, () => {
      captured.logger.info('inside an unrecorded span');
      return activeTraceparent();
    });
    expect(inside).toBeNull();
    expect(activeSpanLogFields()).toEqual({});
    expect(captured.records[0]).not.toHaveProperty('trace_id');
    expect(captured.records[0]).not.toHaveProperty('span_id');
  });

  it('starts nothing without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(startTracing({ argv: ['dashboard'], env: {} })).toBe(false);
    expect(tracingActive()).toBe(false);
  });

  it('refuses an endpoint that is not an http(s) URL, naming the key', () => {
    expect(() =>
      startTracing({ argv: ['dashboard'], env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' } }),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/);
  });

  it.each([
    [['dashboard'], 'atc-dashboard'],
    [['worker', 'crypto'], 'atc-worker-crypto'],
    [['worker', 'roundtable'], 'atc-worker-roundtable'],
    [['heartbeat', '--loop'], 'atc-heartbeat'],
    [['sim'], 'atc-simulator'],
    [['proposal', 'submit'], 'atc-cli'],
  ])('names the process %j %s', (argv, name) => {
    expect(serviceNameOf(argv)).toBe(name);
  });
});

describe('tracing on (the in-memory test provider)', () => {
  let tracing: TestTracing;
  beforeEach(() => {
    tracing = startTestTracing();
  });
  afterEach(() => tracing.stop());

  it('writes trace_id and span_id on a log line inside a span, and none outside', async () => {
    const captured = captureLogger();
    await withSpan('test.logged', {}, () => {
      captured.logger.child({ stepId: 's1' }).info('inside a span');
    });
    captured.logger.info('outside any span');
    const [span] = tracing.spans();
    const [inside, outside] = captured.records;
    expect(inside).toMatchObject({
      msg: 'inside a span',
      stepId: 's1',
      trace_id: span!.spanContext().traceId,
      span_id: span!.spanContext().spanId,
    });
    expect(outside).toMatchObject({ msg: 'outside any span' });
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).not.toHaveProperty('span_id');
  });

  it("gives the active span's traceparent, and a span under a stored traceparent is its child", async () => {
    const stored = await withSpan('test.intake', {}, () => activeTraceparent());
    expect(stored).toMatch(TRACEPARENT);
    await withSpan('test.step', { parent: contextOfTraceparent(stored) }, () => undefined);
    const [intake, step] = tracing.spans();
    const [, traceId, spanId] = TRACEPARENT.exec(stored!)!;
    expect(intake!.spanContext()).toMatchObject({ traceId, spanId });
    expect(step!.spanContext().traceId).toBe(traceId);
    expect(step!.parentSpanContext?.spanId).toBe(spanId);
  });

  it('starts a trace of its own under a missing traceparent, and records a throw as an error', async () => {
    await expect(
      withSpan('test.fails', { parent: contextOfTraceparent(null) }, () => {
        throw new Error('venue down');
      }),
    ).rejects.toThrow('venue down');
    const [span] = tracing.spans();
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.status.code).toBe(2);
    expect(span!.events.map((event) => event.name)).toEqual(['exception']);
  });
});
