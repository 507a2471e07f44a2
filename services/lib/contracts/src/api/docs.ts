/**
 * The operator API's self-description: GET /api/openapi.json answers the OpenAPI 3.1 document.
 * @module
 */
import { z } from 'zod';

/** An OpenAPI 3.1 document: the fields a client relies on, everything else kept as served. */
export const OpenApiDocumentResponse = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});
export type OpenApiDocumentResponse = z.infer<typeof OpenApiDocumentResponse>;
