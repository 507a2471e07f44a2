/**
 * `npm run api:openapi` writes docs/api/openapi.json and the generated sections of docs/api/README.md
 * (the authorization matrix and the route index) from the route definitions;
 * `npm run api:openapi:check` (part of `npm run check`) writes nothing and exits 1 when either drifted.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { API_DOCUMENT_VERSION, buildOpenApiDocument } from '../src/api/openapi/openapi-document';
import { openApi31Problems } from '../src/api/openapi/openapi-structure';
import { permissionMatrix, replaceSection, routeIndex } from '../src/api/openapi/api-docs-sections';
import { apiRoutes } from '../src/api/routes';

const root = path.resolve(__dirname, '../../..');
const OPENAPI_FILE = path.join(root, 'docs/api/openapi.json');
const README_FILE = path.join(root, 'docs/api/README.md');

/** `text` as prettier writes it (the repository's `format:check` must agree with the generated files). */
async function formatted(file: string, text: string): Promise<string> {
  const options = await resolveConfig(file);
  return format(text, { ...options, filepath: file });
}

async function expectedFiles(): Promise<Map<string, string>> {
  const document = buildOpenApiDocument({ routes: apiRoutes, version: API_DOCUMENT_VERSION });
  const problems = openApi31Problems(JSON.parse(JSON.stringify(document)));
  if (problems.length > 0) throw new Error(`the OpenAPI document is invalid:\n  ${problems.join('\n  ')}`);
  let readme = readFileSync(README_FILE, 'utf8');
  readme = replaceSection(readme, 'permissions', permissionMatrix(apiRoutes));
  readme = replaceSection(readme, 'routes', routeIndex(apiRoutes));
  return new Map([
    [OPENAPI_FILE, await formatted(OPENAPI_FILE, JSON.stringify(document))],
    [README_FILE, await formatted(README_FILE, readme)],
  ]);
}

function current(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = await expectedFiles();
  const drifted = [...files].filter(([file, text]) => current(file) !== text).map(([file]) => file);
  if (check) {
    if (drifted.length === 0) return void process.stdout.write('docs/api is up to date\n');
    const names = drifted.map((file) => path.relative(root, file)).join(', ');
    process.stderr.write(`${names} drifted from the route definitions: run npm run api:openapi\n`);
    process.exit(1);
  }
  for (const [file, text] of files) writeFileSync(file, text);
  process.stdout.write(`wrote ${[...files.keys()].map((file) => path.relative(root, file)).join(', ')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`api:openapi failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
