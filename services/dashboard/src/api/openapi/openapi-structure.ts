/**
 * A light structural check of an OpenAPI 3.1 document — what a client generator trips on — without a
 * validator package: the version, every `$ref` resolving, every path template parameter declared,
 * unique operation ids, declared security schemes and tags, and no OpenAPI 3.0-only keyword.
 * @module
 */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every `$ref` and every use of a keyword only OpenAPI 3.0 knows, with its JSON path. */
function walk(value: Json, at: string, visit: (node: JsonObject, at: string) => void): void {
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${at}/${index}`, visit));
  else if (isObject(value)) {
    visit(value, at);
    for (const [key, child] of Object.entries(value)) walk(child, `${at}/${key}`, visit);
  }
}

function resolves(document: JsonObject, ref: string): boolean {
  if (!ref.startsWith('#/')) return false;
  let node: Json | undefined = document;
  for (const part of ref.slice(2).split('/')) {
    node = isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node !== undefined;
}

function checkOperation(
  document: JsonObject,
  path: string,
  method: string,
  operation: JsonObject,
  problems: string[],
  operationIds: Set<string>,
): void {
  const where = `${method.toUpperCase()} ${path}`;
  const id = operation.operationId;
  if (typeof id !== 'string') problems.push(`${where}: no operationId`);
  else if (operationIds.has(id)) problems.push(`${where}: duplicate operationId ${id}`);
  else operationIds.add(id);
  if (!isObject(operation.responses) || Object.keys(operation.responses).length === 0) {
    problems.push(`${where}: no responses`);
  }
  const parameters = Array.isArray(operation.parameters) ? operation.parameters.filter(isObject) : [];
  for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1])) {
    const declared = parameters.find((p) => p.in === 'path' && p.name === name);
    if (!declared || declared.required !== true) {
      problems.push(`${where}: path parameter {${name}} is not declared as required`);
    }
  }
  const schemes = isObject(document.components) ? document.components.securitySchemes : undefined;
  for (const requirement of Array.isArray(operation.security) ? operation.security : []) {
    for (const scheme of isObject(requirement) ? Object.keys(requirement) : []) {
      if (!isObject(schemes) || !(scheme in schemes)) {
        problems.push(`${where}: unknown security scheme ${scheme}`);
      }
    }
  }
  const tags = Array.isArray(document.tags) ? document.tags.filter(isObject).map((t) => t.name) : [];
  for (const tag of Array.isArray(operation.tags) ? operation.tags : []) {
    if (!tags.includes(tag)) problems.push(`${where}: tag ${JSON.stringify(tag)} is not declared`);
  }
}

/** The structural problems of `document` as OpenAPI 3.1 (none: an empty list). */
export function openApi31Problems(document: unknown): string[] {
  if (!isObject(document)) return ['the document is not a JSON object'];
  const problems: string[] = [];
  if (typeof document.openapi !== 'string' || !/^3\.1\.\d+$/.test(document.openapi)) {
    problems.push(`openapi is ${JSON.stringify(document.openapi)}, not 3.1.x`);
  }
  const info = document.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string') {
    problems.push('info.title and info.version must be strings');
  }
  if (!isObject(document.paths)) problems.push('paths must be an object');
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(isObject(document.paths) ? document.paths : {})) {
    if (!path.startsWith('/')) problems.push(`path ${path} does not start with /`);
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (isObject(operation)) checkOperation(document, path, method, operation, problems, operationIds);
    }
  }
  walk(document, '#', (node, at) => {
    if (typeof node.$ref === 'string' && !resolves(document, node.$ref)) {
      problems.push(`${at}: $ref ${node.$ref} does not resolve`);
    }
    // OpenAPI 3.1 writes `type: [..., 'null']`; `nullable` is 3.0 only (a schema property named so is fine).
    if ('nullable' in node && typeof node.nullable === 'boolean')
      problems.push(`${at}: nullable is OpenAPI 3.0`);
  });
  return problems;
}
