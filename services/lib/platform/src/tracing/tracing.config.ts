import { z } from 'zod';
import { httpUrl, loadConfig, type Environment } from '../config';

/**
 * The keys that decide whether tracing starts and what the process is called. Everything else the
 * OpenTelemetry SDK reads from the environment itself (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG,
 * OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_RESOURCE_ATTRIBUTES, …).
 */
export const tracingEnvironment = {
  /** The OTLP/HTTP collector, e.g. http://otel-collector:4318; unset: tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl().optional(),
  /** Overrides the role's name (`atc-dashboard`, `atc-worker-crypto`, …) as `service.name`. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
} as const;

export type TracingConfig = z.infer<z.ZodObject<typeof tracingEnvironment>>;

export function loadTracingConfig(env?: Environment): TracingConfig {
  return loadConfig(z.object(tracingEnvironment), env);
}
