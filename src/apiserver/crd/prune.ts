// Pruning of fields a structural schema does not specify, as the apiserver does when decoding a
// custom resource. The removed paths are returned so the HTTP layer can apply fieldValidation
// (Strict fails with `unknown field "spec.foo"`, Warn warns, Ignore drops silently).

import { isPlainObject } from "../../api/object.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import { childPath, indexPath } from "./field-errors.ts";
import {
  isEmbeddedResource,
  preservesUnknownFields,
  schemaAdditionalProperties,
  schemaItems,
  schemaProperties,
} from "./schema-access.ts";

/** Kept at a resource's root (and in embedded resources); metadata is ObjectMeta's business. */
const RESOURCE_FIELDS = new Set(["apiVersion", "kind", "metadata"]);

/** Mutates `value` in place and returns the paths removed, e.g. `spec.foo`, `spec.items[0].bar`. */
export function pruneUnknownFields(value: unknown, schema: OpenAPISchema): string[] {
  const removed: string[] = [];
  pruneObject(value, schema, "", true, removed);
  return removed;
}

/** Like pruneUnknownFields for a value that is not a whole resource (a default, a field). */
export function pruneValue(value: unknown, schema: OpenAPISchema): string[] {
  const removed: string[] = [];
  pruneNode(value, schema, "", removed);
  return removed;
}

function pruneNode(value: unknown, schema: OpenAPISchema, path: string, removed: string[]): void {
  if (Array.isArray(value)) {
    const items = schemaItems(schema);
    if (items === undefined) return;
    value.forEach((item, index) => {
      pruneNode(item, items, indexPath(path, index), removed);
    });
    return;
  }
  pruneObject(value, schema, path, isEmbeddedResource(schema), removed);
}

function pruneObject(
  value: unknown,
  schema: OpenAPISchema,
  path: string,
  isResource: boolean,
  removed: string[],
): void {
  if (!isPlainObject(value)) return;
  const properties = schemaProperties(schema);
  const additional = schemaAdditionalProperties(schema);
  const keepUnknown = preservesUnknownFields(schema) || additional === true;
  for (const [name, child] of Object.entries(value)) {
    if (isResource && RESOURCE_FIELDS.has(name)) continue;
    const childSchema = properties[name] ?? (typeof additional === "object" ? additional : undefined);
    if (childSchema !== undefined) pruneNode(child, childSchema, childPath(path, name), removed);
    else if (!keepUnknown) {
      delete value[name];
      removed.push(childPath(path, name));
    }
  }
}
