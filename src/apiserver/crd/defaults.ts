// Structural defaulting, as Kubernetes applies it to custom resources on create, on update and on
// every read from storage: non-nullable nulls are dropped (or replaced by the default), then every
// missing property with a `default` gets a copy of it, recursively through items and maps.

import { isPlainObject } from "../../api/object.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import { schemaAdditionalProperties, schemaItems, schemaProperties } from "./schema-access.ts";

/** Mutates `value` in place. */
export function applyDefaults(value: unknown, schema: OpenAPISchema): void {
  if (Array.isArray(value)) {
    const items = schemaItems(schema);
    if (items !== undefined) for (const item of value) applyDefaults(item, items);
    return;
  }
  if (!isPlainObject(value)) return;
  const properties = schemaProperties(schema);
  for (const [name, property] of Object.entries(properties)) defaultProperty(value, name, property);
  const additional = schemaAdditionalProperties(schema);
  for (const [name, child] of Object.entries(value)) {
    const childSchema = properties[name] ?? (typeof additional === "object" ? additional : undefined);
    if (childSchema !== undefined) applyDefaults(child, childSchema);
  }
}

function defaultProperty(object: Record<string, unknown>, name: string, property: OpenAPISchema): void {
  const current = object[name];
  const hasDefault = property.default !== undefined;
  if (current === null && property.nullable !== true && !hasDefault) {
    delete object[name];
    return;
  }
  if (hasDefault && (current === undefined || (current === null && property.nullable !== true))) {
    object[name] = structuredClone(property.default);
  }
}
