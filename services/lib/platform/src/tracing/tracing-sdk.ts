/**
 * The OpenTelemetry Node SDK as atc runs it: spans exported over OTLP/HTTP (the exporter reads
 * OTEL_EXPORTER_OTLP_ENDPOINT and the other OTEL_* keys itself), the sampler from
 * OTEL_TRACES_SAMPLER, the W3C trace context propagator, and the http, express and pg
 * instrumentations. Loaded only by `startTracing`, and only when an endpoint is set.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/**
 * Query parameters whose values never reach a span (url.query shows `REDACTED`): the SDK's own list
 * (signed URLs) plus the operator API's stream ticket, a credential the browser sends as `?ticket=`,
 * and the usual names of keys in an RPC URL.
 */
const REDACTED_QUERY_PARAMETERS = [
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'ticket',
  'token',
  'access_token',
  'key',
  'api-key',
  'api_key',
  'apiKey',
  'secret',
  'password',
];

/** Probes and scrapes: every 10–15 s on every pod, and never part of a trade's trace. */
const UNTRACED_PATHS = /^\/(health\/|metrics)/;

export function tracingInstrumentations() {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
      // An outgoing call outside any span (a poll, a keep-alive) would be a trace of its own.
      requireParentforOutgoingSpans: true,
      redactedQueryParams: REDACTED_QUERY_PARAMETERS,
      redactedQueryParamsServer: REDACTED_QUERY_PARAMETERS,
    }),
    new ExpressInstrumentation(),
    // Only statements inside a span: the workers' claim polls and the LISTEN connection are not
    // traces. Statement text, never parameter values (enhancedDatabaseReporting stays off).
    new PgInstrumentation({ requireParentSpan: true }),
  ];
}

/** What a started SDK gives back: a flush and stop. */
export interface TracingSdk {
  shutdown(): Promise<void>;
}

export function startNodeSdk(options: { serviceName: string }): TracingSdk {
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    traceExporter: new OTLPTraceExporter(),
    instrumentations: tracingInstrumentations(),
    // Traces only: metrics stay with Prometheus (each role's /metrics) and logs with stdout. Empty
    // lists, because without them the SDK would start OTLP metric and log exporters by default.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return sdk;
}
