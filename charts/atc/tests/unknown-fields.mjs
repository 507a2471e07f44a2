#!/usr/bin/env node
/**
 * Finds fields Kubernetes does not know in built-in objects, which kubernetes-models' `validate()`
 * lets through (its schemas leave objects open) but the API server rejects under strict field
 * validation or silently drops: a typo'd `readOnlyRootFilesytem` would otherwise vanish at install.
 * The field names come from @kubernetes/client-node's generated models (`attributeTypeMap`, built
 * from the Kubernetes OpenAPI). A separate process because that package is ESM and jest runs
 * CommonJS: reads a JSON array of objects on stdin, writes a JSON array (one list of unknown field
 * paths per object; kinds it has no model for get an empty list) on stdout.
 *
 * @module
 */
import * as k8s from '@kubernetes/client-node';

/** client-node's model class for an apiVersion and kind (`apps/v1` Deployment → V1Deployment). */
function modelName(apiVersion, kind) {
  const version = String(apiVersion).split('/').pop() ?? '';
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** The unknown field paths under `value`, read as client-node type `type`. */
function unknownFields(value, type, path) {
  if (value === null || value === undefined) return [];
  const array = ARRAY.exec(type);
  if (array) {
    return Array.isArray(value)
      ? value.flatMap((item, index) => unknownFields(item, array[1], `${path}[${index}]`))
      : [];
  }
  const map = MAP.exec(type);
  if (map) {
    return typeof value === 'object'
      ? Object.entries(value).flatMap(([key, item]) => unknownFields(item, map[1], `${path}.${key}`))
      : [];
  }
  const model = k8s[type];
  if (typeof model?.getAttributeTypeMap !== 'function' || typeof value !== 'object') return [];
  const attributes = new Map(
    model.getAttributeTypeMap().map((attribute) => [attribute.baseName, attribute.type]),
  );
  return Object.entries(value).flatMap(([key, item]) => {
    const itemType = attributes.get(key);
    if (itemType === undefined) return [`${path}.${key}`];
    return unknownFields(item, itemType, `${path}.${key}`);
  });
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const objects = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const results = objects.map((object) => {
  const type = modelName(object.apiVersion, object.kind);
  return typeof k8s[type]?.getAttributeTypeMap === 'function' ? unknownFields(object, type, '') : [];
});
process.stdout.write(`${JSON.stringify(results)}\n`);
