/**
 * Routes: the API's own description, GET /api/openapi.json (public, like /api/health).
 * @module
 */
import { OpenApiDocumentResponse } from '@atc/contracts';
import { defineRoute, ok, type ApiRoute } from '../api-route';
import {
  API_DOCUMENT_VERSION,
  buildOpenApiDocument,
  type OpenApiDocument,
} from '../openapi/openapi-document';

/**
 * The docs routes, documenting `routes()` — every route of the API, this one included. A function of
 * the route list rather than an import of it, so routes/index.ts can list these routes too without an
 * import cycle. The document is built once, on the first request.
 */
export function docsRoutes(routes: () => readonly ApiRoute[]): readonly ApiRoute[] {
  let document: OpenApiDocument | undefined;
  return [
    defineRoute({
      method: 'GET',
      path: '/api/openapi.json',
      access: 'public',
      summary: 'The OpenAPI 3.1 document of this API',
      tag: 'docs',
      response: OpenApiDocumentResponse,
      handle() {
        document ??= buildOpenApiDocument({ routes: routes(), version: API_DOCUMENT_VERSION });
        return Promise.resolve(ok(document as OpenApiDocumentResponse));
      },
    }),
  ];
}
