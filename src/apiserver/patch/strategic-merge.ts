// Kubernetes strategic merge patch (k8s.io/apimachinery strategicpatch, as the API server applies it):
// maps merge recursively and `null` deletes; lists merge by the schema's first merge key, as sets of
// primitives, or are replaced whole. Directives: `$patch` (replace/delete on a map, delete/replace as a
// list element), `$setElementOrder/<f>`, `$deleteFromPrimitiveList/<f>` and `$retainKeys`.
//
// Deviations, all for patches kubectl never sends: `$patch: delete` on a nested map removes the field
// (Kubernetes leaves `{}`); values new to the object have their directives applied rather than copied
// verbatim; `$deleteFromPrimitiveList` also works on atomic lists; `$setElementOrder` is not checked
// against the patch list.

import { badRequest } from "../errors.ts";
import { clone, getField, isObject, type JsonObject, jsonKind, setField } from "./json-value.ts";
import { badPatch, goFormat } from "./patch-errors.ts";
import type { PatchField, PatchSchema } from "./schema.ts";
import { applyElementOrder, mergeList } from "./strategic-list.ts";

const DIRECTIVE = "$patch";
const RETAIN_KEYS = "$retainKeys";
const SET_ELEMENT_ORDER = "$setElementOrder/";
const DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

/** Applies a strategic merge patch to a copy of `target`; inputs are never mutated. */
export function applyStrategicMergePatch(target: unknown, patch: unknown, schema: PatchSchema): unknown {
  if (!isObject(patch)) {
    throw badRequest(
      `json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`,
    );
  }
  const original: JsonObject = isObject(target) ? clone(target) : {};
  return mergeMap(original, clone(patch), schema) ?? {};
}

/** Merges `patch` into `original` (both owned by the engine); `undefined` means delete the map. */
function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  schema: PatchSchema | undefined,
): JsonObject | undefined {
  if (Object.hasOwn(patch, DIRECTIVE)) return mapDirective(patch, schema);
  applyRetainKeys(original, patch);
  applySetElementOrders(original, patch, schema);
  const deletions: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) deletions.push([key, value]);
    else if (value === null) delete original[key];
    else mergeField(original, key, value, schema?.[key]);
  }
  for (const [key, value] of deletions) deleteFromPrimitiveList(original, key, value);
  return original;
}

/** A map element merged into another, for lists; a `$patch` on a list element never reaches here. */
function mergeElement(original: JsonObject, patch: JsonObject, schema: PatchSchema | undefined): JsonObject {
  return mergeMap(original, patch, schema) ?? {};
}

function mapDirective(patch: JsonObject, schema: PatchSchema | undefined): JsonObject | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === "delete") return undefined;
  if (directive !== "replace") {
    throw badPatch(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
  }
  delete patch[DIRECTIVE];
  return mergeMap({}, patch, schema);
}

function mergeField(original: JsonObject, key: string, value: unknown, field: PatchField | undefined): void {
  const current = getField(original, key);
  if (isObject(value)) {
    const merged = mergeMap(isObject(current) ? current : {}, value, field?.schema);
    if (merged === undefined) delete original[key];
    else setField(original, key, merged);
  } else if (Array.isArray(value)) {
    setField(original, key, mergeList(Array.isArray(current) ? current : [], value, field, mergeElement));
  } else {
    setField(original, key, value);
  }
}

/** `$retainKeys`: drop every live key not listed; the patch itself may only set listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw badPatch("invalid patch format of retainKeys");
  const keep = new Set(retain);
  for (const [key, value] of Object.entries(patch)) {
    const directive = key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    if (value !== null && !directive && !keep.has(key)) throw badPatch("invalid patch format of retainKeys");
  }
  for (const key of Object.keys(original)) {
    if (!keep.has(key)) delete original[key];
  }
}

/** `$setElementOrder/<f>`: merges list `f` now and orders it; both keys leave the patch. */
function applySetElementOrders(
  original: JsonObject,
  patch: JsonObject,
  schema: PatchSchema | undefined,
): void {
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    delete patch[key];
    const name = key.slice(SET_ELEMENT_ORDER.length);
    if (!Array.isArray(order) || name === "") throw badPatch("invalid patch format of setElementOrder list");
    if (getField(patch, name) === null) continue;
    const field = schema?.[name];
    const live = listField(original, name);
    const patchList = listField(patch, name);
    if (live === undefined && patchList === undefined) continue;
    const merged =
      patchList === undefined ? (live ?? []) : mergeList(live ?? [], patchList, field, mergeElement);
    setField(original, name, applyElementOrder(merged, order, live ?? [], field));
    delete patch[name];
  }
}

function listField(map: JsonObject, name: string): unknown[] | undefined {
  const value = getField(map, name);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badPatch(`${name}: expected a list, got ${jsonKind(value)}`);
  return value;
}

/** `$deleteFromPrimitiveList/<f>`: removes these values from the primitive list `f`. */
function deleteFromPrimitiveList(original: JsonObject, key: string, values: unknown): void {
  const name = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
  if (!Array.isArray(values) || name === "") throw badPatch("invalid patch format of primitive list");
  const current = getField(original, name);
  if (!Array.isArray(current)) return;
  setField(
    original,
    name,
    current.filter((item) => !values.includes(item)),
  );
}
