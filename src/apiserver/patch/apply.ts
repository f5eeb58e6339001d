// Minimal server-side apply. The applied configuration is merged into the live object (maps field by
// field, lists with merge keys element by element matched on all keys, set lists as unions, other
// lists replaced), then fields this manager applied last time but no longer sends are removed unless
// another manager owns them too. What the manager applied is recorded as its `Apply` entry in
// metadata.managedFields, in FieldsV1 form.
//
// Documented deviations: ownership conflicts are never reported (every apply behaves as if forced,
// but without taking fields away from other managers), and there is no per-version field tracking.

import type { KubeObject } from "../../api/object.ts";
import { type FieldPath, fieldsV1Of, lookupPath, membersOf, pathKey } from "./fields-v1.ts";
import { clone, deepEqual, getField, isObject, type JsonObject, setField } from "./json-value.ts";
import { type ManagedFieldsOptions, managedFieldsOf, newEntry, replaceEntry } from "./managed-fields.ts";
import type { PatchField, PatchSchema } from "./schema.ts";

export { fieldsV1Of } from "./fields-v1.ts";

export type ApplyOptions = ManagedFieldsOptions;

export function applyServerSide(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  schema: PatchSchema | undefined,
  options: ApplyOptions = {},
): { object: KubeObject } {
  const config = clone(applied);
  delete config.metadata.managedFields;
  const object = mergeMap(clone(live) ?? { metadata: {} }, config, schema) as KubeObject;
  const entries = managedFieldsOf(live);
  const previous = entries.find((entry) => entry.manager === manager && entry.operation === "Apply");
  const fields = fieldsV1Of(config, schema);
  const applying = new Set(membersOf(fields).map(pathKey));
  const others = entries.filter((entry) => entry !== previous).flatMap((entry) => membersOf(entry.fieldsV1));
  const dropped = membersOf(previous?.fieldsV1).filter((path) => !applying.has(pathKey(path)));
  for (const path of dropped) {
    if (!others.some((other) => overlaps(other, path))) removePath(object, path, applying);
  }
  const apiVersion = config.apiVersion ?? live?.apiVersion;
  const owner = newEntry(manager, "Apply", apiVersion, fields, options);
  object.metadata.managedFields = replaceEntry(entries, owner);
  return { object };
}

function mergeValue(live: unknown, applied: unknown, field: PatchField | undefined): unknown {
  if (isObject(applied)) return mergeMap(isObject(live) ? live : {}, applied, field?.schema);
  if (Array.isArray(applied)) return mergeList(Array.isArray(live) ? live : [], applied, field);
  return applied;
}

/** Merges `applied` into `live`; both are the engine's own copies. */
function mergeMap(live: JsonObject, applied: JsonObject, schema: PatchSchema | undefined): JsonObject {
  for (const [key, value] of Object.entries(applied)) {
    if (value === null) delete live[key];
    else setField(live, key, mergeValue(getField(live, key), value, schema?.[key]));
  }
  return live;
}

function mergeList(live: unknown[], applied: unknown[], field: PatchField | undefined): unknown[] {
  const keys = field?.mergeKeys;
  if (keys !== undefined && keys.length > 0 && [...live, ...applied].every(isObject)) {
    const result = [...live] as JsonObject[];
    for (const item of applied as JsonObject[]) {
      const index = result.findIndex((candidate) =>
        keys.every((key) => deepEqual(candidate[key], item[key])),
      );
      const target = result[index];
      if (target === undefined) result.push(item);
      else result[index] = mergeMap(target, item, field?.schema);
    }
    return result;
  }
  if (field?.set === true) {
    return [...live, ...applied.filter((item) => !live.some((existing) => deepEqual(existing, item)))];
  }
  return applied;
}

/** Whether one path is the other or an ancestor of it: owning either keeps the field alive. */
function overlaps(a: FieldPath, b: FieldPath): boolean {
  const length = Math.min(a.length, b.length);
  return a.slice(0, length).every((element, i) => element === b[i]);
}

/**
 * Removes the field at `path`, then the maps and lists that became empty through it, up to (not
 * including) the top-level fields and metadata, unless the manager applies them.
 */
function removePath(object: KubeObject, path: FieldPath, applying: ReadonlySet<string>): void {
  const found = lookupPath(object, path);
  if (!found.found) return;
  found.remove();
  for (let depth = path.length - 1; depth >= 2; depth--) {
    const ancestor = path.slice(0, depth);
    const at = lookupPath(object, ancestor);
    if (!at.found || !isEmpty(at.value) || applying.has(pathKey(ancestor))) return;
    if (!(ancestor.at(-1) ?? "").startsWith("f:")) return;
    at.remove();
  }
}

function isEmpty(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0;
}
