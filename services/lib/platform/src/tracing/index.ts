/**
 * @atc/platform/tracing: what the CLI entry needs before anything else is loaded (startTracing). It
 * imports neither the rest of @atc/platform nor pg, express or http.
 * @module
 */
export { serviceNameOf, shutdownTracing, startTracing, type StartTracingOptions } from './start-tracing';
