/**
 * The entry of dist/atc.cjs. Tracing starts first, when OTEL_EXPORTER_OTLP_ENDPOINT is set: its
 * instrumentations patch `http`, `express` and `pg` only as they are first required, so nothing
 * that requires them may load before it. The program itself is therefore required after the start,
 * not imported — esbuild hoists imports (and the `require` calls of external packages they lead to)
 * above a module's own statements, while a `require` of one of our files is bundled as a lazily
 * initialised module that runs, with everything it imports, at this call.
 * @module
 */
import { startTracing } from '@atc/platform/tracing';

startTracing({ argv: process.argv.slice(2) });
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./cli');
