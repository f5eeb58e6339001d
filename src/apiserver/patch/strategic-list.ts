// Strategic merge of one list field: by the first merge key, as a set of primitives, or atomically.

import { deepEqual, getField, isObject, type JsonObject } from "./json-value.ts";
import { badPatch, goFormat, patchRejected } from "./patch-errors.ts";
import type { PatchField, PatchSchema } from "./schema.ts";
import { type Identity, orderMerged } from "./strategic-order.ts";

/** Merges one map element into another (the map half of the engine, passed in to avoid a cycle). */
export type MergeElement = (
  original: JsonObject,
  patch: JsonObject,
  schema: PatchSchema | undefined,
) => JsonObject;

const DIRECTIVE = "$patch";

/** The merged list; `original` and `patch` are the caller's own copies and may be consumed. */
export function mergeList(
  original: unknown[],
  patch: unknown[],
  field: PatchField | undefined,
  mergeElement: MergeElement,
): unknown[] {
  const mergeKey = field?.mergeKeys?.[0];
  if (mergeKey === undefined && field?.set !== true) return patch;
  if (original.length === 0 && patch.length === 0) return original;
  if (elementKind(original, patch) !== "map") return mergePrimitives(original, patch);
  if (mergeKey === undefined) throw badPatch("cannot merge lists without merge key");
  return mergeByKey(original, patch, mergeKey, field?.schema, mergeElement);
}

/** The identity that orders a list's elements. */
export function identityFor(field: PatchField | undefined): Identity {
  const mergeKey = field?.mergeKeys?.[0];
  if (mergeKey === undefined) return (item) => item;
  return (item) => (isObject(item) ? getField(item, mergeKey) : item);
}

/** Kubernetes requires all elements of both lists to be of one kind, and not lists. */
function elementKind(...lists: unknown[][]): "map" | "primitive" {
  let kind: string | undefined;
  for (const item of lists.flat()) {
    if (Array.isArray(item)) throw patchRejected("lists of lists are not supported");
    const current = isObject(item) ? "map" : item === null ? "null" : typeof item;
    if (kind !== undefined && kind !== current) {
      throw badPatch(`list element types are not identical: ${goFormat(lists)}`);
    }
    kind = current;
  }
  return kind === "map" ? "map" : "primitive";
}

function mergePrimitives(original: unknown[], patch: unknown[]): unknown[] {
  const merged: unknown[] = [];
  for (const item of [...original, ...patch]) {
    if (!merged.some((seen) => deepEqual(seen, item))) merged.push(item);
  }
  return orderMerged(merged, patch, original, (item) => item);
}

function mergeByKey(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  schema: PatchSchema | undefined,
  mergeElement: MergeElement,
): unknown[] {
  const special = applySpecialElements(original, patch as JsonObject[], mergeKey);
  const clean = (item: JsonObject): JsonObject => mergeElement({}, item, schema);
  if (special.replace) return special.patch.map(clean);
  const merged = [...special.original];
  for (const item of special.patch) {
    const value = requireKey(item, mergeKey);
    const index = merged.findIndex(
      (candidate) => isObject(candidate) && deepEqual(getField(candidate, mergeKey), value),
    );
    const target = merged[index];
    if (isObject(target)) merged[index] = mergeElement(target, item, schema);
    else merged.push(clean(item));
  }
  const id = identityFor({ mergeKeys: [mergeKey] });
  return orderMerged(merged, special.patch, special.original, id);
}

interface SpecialElements {
  original: unknown[];
  patch: JsonObject[];
  replace: boolean;
}

/**
 * Handles the elements carrying `$patch`: `delete` removes the live elements with that key, `replace`
 * (anywhere in the list) makes the rest of the patch the whole list. Returns the other patch elements.
 */
function applySpecialElements(original: unknown[], patch: JsonObject[], mergeKey: string): SpecialElements {
  const result: SpecialElements = { original, patch: [], replace: false };
  for (const item of patch) {
    if (!Object.hasOwn(item, DIRECTIVE)) {
      result.patch.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === "delete") {
      const value = requireKey(item, mergeKey);
      result.original = result.original.filter(
        (candidate) => !(isObject(candidate) && deepEqual(getField(candidate, mergeKey), value)),
      );
    } else if (directive === "replace") {
      result.replace = true;
    } else if (directive === "merge") {
      throw badPatch("merging lists cannot yet be specified in the patch");
    } else {
      throw badPatch(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(item)}`);
    }
  }
  return result;
}

function requireKey(item: JsonObject, mergeKey: string): unknown {
  if (!Object.hasOwn(item, mergeKey)) {
    throw badPatch(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
  }
  return item[mergeKey];
}

/** Orders `list` by a `$setElementOrder` list; atomic lists are left as they are. */
export function applyElementOrder(
  list: unknown[],
  order: unknown[],
  live: unknown[],
  field: PatchField | undefined,
): unknown[] {
  if (field?.mergeKeys === undefined && field?.set !== true) return list;
  return orderMerged(list, order, live, identityFor(field));
}
