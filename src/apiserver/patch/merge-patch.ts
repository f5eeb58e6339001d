// RFC 7386 JSON Merge Patch: objects merge key by key, `null` deletes, everything else (lists,
// scalars, a non-object patch) replaces. Pure: inputs are never mutated, the result shares nothing.

import { clone, getField, isObject, type JsonObject, setField } from "./json-value.ts";

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? clone(target) : {};
  mergeInto(result, patch);
  return result;
}

/** Merges `patch` into `result`, which the caller owns. */
function mergeInto(result: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isObject(value)) {
      const existing = getField(result, key);
      const base: JsonObject = isObject(existing) ? existing : {};
      mergeInto(base, value);
      setField(result, key, base);
    } else {
      setField(result, key, clone(value));
    }
  }
}
