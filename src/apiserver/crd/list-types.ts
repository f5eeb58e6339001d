// x-kubernetes-list-type `set` and `map` semantics: uniqueness of items (set) or of their key
// tuples (map, keyed by x-kubernetes-list-map-keys), and matching an item to its old version.

import { isPlainObject } from "../../api/object.ts";
import type { FieldIssue } from "../errors.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import { duplicateIssue, indexPath } from "./field-errors.ts";
import { canonicalJSON, schemaStrings } from "./schema-access.ts";

export function listType(schema: OpenAPISchema): string {
  const type = schema["x-kubernetes-list-type"];
  return typeof type === "string" ? type : "atomic";
}

export function listMapKeys(schema: OpenAPISchema): string[] {
  return schemaStrings(schema, "x-kubernetes-list-map-keys");
}

/** The key tuple of a map-list item, or undefined when the item is not an object. */
function keyTuple(item: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  if (!isPlainObject(item)) return undefined;
  const tuple: Record<string, unknown> = {};
  for (const key of keys) tuple[key] = item[key] ?? null;
  return tuple;
}

function duplicatesInSet(items: readonly unknown[], path: string): FieldIssue[] {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  items.forEach((item, index) => {
    const canonical = canonicalJSON(item);
    if (seen.has(canonical)) issues.push(duplicateIssue(indexPath(path, index), item));
    seen.add(canonical);
  });
  return issues;
}

/** Missing key fields compare equal to each other, as Kubernetes' unspecifiedKeyValue does. */
function duplicatesInMap(items: readonly unknown[], keys: readonly string[], path: string): FieldIssue[] {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  items.forEach((item, index) => {
    const tuple = keyTuple(item, keys);
    if (tuple === undefined) return;
    const canonical = canonicalJSON(tuple);
    if (seen.has(canonical)) issues.push(duplicateIssue(indexPath(path, index), tuple));
    seen.add(canonical);
  });
  return issues;
}

/** Duplicate items of a set, duplicate keys (and missing key fields) of a map list. */
export function validateListType(
  items: readonly unknown[],
  schema: OpenAPISchema,
  path: string,
): FieldIssue[] {
  switch (listType(schema)) {
    case "set":
      return duplicatesInSet(items, path);
    case "map":
      return duplicatesInMap(items, listMapKeys(schema), path);
    default:
      return [];
  }
}

/** The old item with the same key tuple, for map lists only (the lists Kubernetes correlates). */
export function correlatedItem(item: unknown, old: unknown, schema: OpenAPISchema): unknown {
  if (listType(schema) !== "map" || !Array.isArray(old)) return undefined;
  const tuple = keyTuple(item, listMapKeys(schema));
  if (tuple === undefined) return undefined;
  const wanted = canonicalJSON(tuple);
  return old.find((candidate) => canonicalJSON(keyTuple(candidate, listMapKeys(schema))) === wanted);
}
