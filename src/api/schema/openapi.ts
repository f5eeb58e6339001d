// Turns a typebox schema into the plain OpenAPI v3 value a CRD publishes: typebox's own metadata
// ($id, `~`-prefixed and symbol keys) removed, keys sorted and `required` lists sorted so the
// generated manifests are stable and read like upstream's.

import type { TSchema } from "typebox";
import { isPlainObject, type JsonValue } from "../object.ts";

const DROPPED_KEYS = new Set(["$id", "$schema", "$anchor", "$defs"]);

export type OpenAPIObject = { [key: string]: JsonValue };

export function toOpenAPISchema(schema: TSchema): OpenAPIObject {
  // The round trip keeps only enumerable string keys with JSON values.
  const plain: unknown = JSON.parse(JSON.stringify(schema));
  if (!isPlainObject(plain)) throw new Error("schema is not an object");
  return cleanObject(plain, "");
}

/** `key` is the keyword `value` sits under; "" for schemas (property values, items, ...). */
function cleanValue(value: unknown, key: string): JsonValue {
  if (Array.isArray(value)) {
    const items = value.map((item) => cleanValue(item, ""));
    // Order in `required` carries no meaning; elsewhere (enum, list-map keys, rules) it does.
    return key === "required" ? items.toSorted() : items;
  }
  if (isPlainObject(value)) return cleanObject(value, key);
  // What is left after the JSON round trip is a string, number, boolean or null.
  return value as JsonValue;
}

function cleanObject(value: Record<string, unknown>, key: string): OpenAPIObject {
  const out: OpenAPIObject = {};
  for (const name of Object.keys(value).toSorted()) {
    if (DROPPED_KEYS.has(name) || name.startsWith("~")) continue;
    const child = value[name];
    if (name === "properties" && isPlainObject(child) && Object.keys(child).length === 0) continue;
    // Below `properties` the keys are field names, not keywords.
    out[name] = cleanValue(child, key === "properties" ? "" : name);
  }
  return out;
}
