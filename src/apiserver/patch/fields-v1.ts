// Kubernetes' FieldsV1 format for managedFields, and the field paths it encodes. A path element is
// `f:<field>` (map field), `k:<json>` (list element by its keys), `v:<json>` (set element) or `i:<n>`
// (list index). In the tree a node is a member of the set when it is a leaf or has a `.` child; list
// elements always carry `.` because their key fields are members too.

import { deepEqual, getField, isObject, type JsonObject } from "./json-value.ts";
import type { PatchField, PatchSchema } from "./schema.ts";

export type FieldsV1 = { [element: string]: FieldsV1 };

/** One member of a field set: path elements from the object root, without `.`. */
export type FieldPath = readonly string[];

/** Fields of an object Kubernetes never records as owned (fieldmanager's stripped paths). */
const UNOWNED_TOP = new Set(["apiVersion", "kind"]);
const UNOWNED_METADATA = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "selfLink",
  "managedFields",
]);

/** The fields `obj` sets, in FieldsV1 form: what a manager owns after applying `obj`. */
export function fieldsV1Of(obj: unknown, schema: PatchSchema | undefined): FieldsV1 {
  if (!isObject(obj)) return {};
  const top = omit(obj, UNOWNED_TOP);
  const metadata = getField(obj, "metadata");
  if (isObject(metadata)) {
    const owned = omit(metadata, UNOWNED_METADATA);
    if (Object.keys(owned).length > 0) top.metadata = owned;
    else delete top.metadata;
  }
  return mapFields(top, schema);
}

function omit(map: JsonObject, keys: ReadonlySet<string>): JsonObject {
  return Object.fromEntries(Object.entries(map).filter(([key]) => !keys.has(key)));
}

function mapFields(map: JsonObject, schema: PatchSchema | undefined): FieldsV1 {
  const fields: FieldsV1 = {};
  for (const [key, value] of Object.entries(map)) {
    if (value !== null && value !== undefined) fields[`f:${key}`] = valueFields(value, schema?.[key]);
  }
  return fields;
}

function valueFields(value: unknown, field: PatchField | undefined): FieldsV1 {
  if (isObject(value)) return mapFields(value, field?.schema);
  if (!Array.isArray(value)) return {};
  const keys = field?.mergeKeys;
  if (keys !== undefined && keys.length > 0 && value.every(isObject)) {
    const fields: FieldsV1 = {};
    for (const item of value) fields[keyElement(item, keys)] = { ".": {}, ...mapFields(item, field?.schema) };
    return fields;
  }
  if (field?.set === true) return Object.fromEntries(value.map((item) => [`v:${JSON.stringify(item)}`, {}]));
  return {};
}

/** `k:{"name":"c1"}`: the element's merge-key values, keys sorted as Kubernetes serializes them. */
export function keyElement(item: JsonObject, mergeKeys: readonly string[]): string {
  const present = [...mergeKeys].filter((key) => Object.hasOwn(item, key)).sort();
  return `k:${JSON.stringify(Object.fromEntries(present.map((key) => [key, item[key]])))}`;
}

/** The members of a field set, depth first. */
export function membersOf(fields: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isObject(fields)) return [];
  const children = Object.entries(fields).filter(([element]) => element !== ".");
  const members: FieldPath[] = children.length === 0 || Object.hasOwn(fields, ".") ? [prefix] : [];
  for (const [element, child] of children) members.push(...membersOf(child, [...prefix, element]));
  return prefix.length === 0 ? members.filter((path) => path.length > 0) : members;
}

/** Builds the FieldsV1 tree of a set of members. */
export function fieldsFromMembers(members: Iterable<FieldPath>): FieldsV1 {
  const root: FieldsV1 = {};
  const marked = new Set<FieldsV1>();
  for (const path of members) {
    let node = root;
    for (const element of path) {
      node[element] ??= {};
      node = node[element];
    }
    marked.add(node);
  }
  for (const node of marked) {
    if (Object.keys(node).some((element) => element !== ".")) node["."] = {};
  }
  return root;
}

export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

type Found = { found: true; value: unknown; remove: () => void } | { found: false };

/** The value one path element names inside `container`. */
export function child(container: unknown, element: string): Found {
  const kind = element.slice(0, 2);
  const rest = element.slice(2);
  if (kind === "f:" && isObject(container) && Object.hasOwn(container, rest)) {
    return { found: true, value: container[rest], remove: () => delete container[rest] };
  }
  if (!Array.isArray(container)) return { found: false };
  const index = listIndex(container, kind, rest);
  if (index < 0 || index >= container.length) return { found: false };
  return { found: true, value: container[index], remove: () => container.splice(index, 1) };
}

function listIndex(list: unknown[], kind: string, rest: string): number {
  if (kind === "i:") return /^\d+$/.test(rest) ? Number(rest) : -1;
  if (kind !== "k:" && kind !== "v:") return -1;
  const wanted = parseJson(rest);
  if (kind === "v:") return list.findIndex((item) => deepEqual(item, wanted));
  if (!isObject(wanted)) return -1;
  return list.findIndex(
    (item) =>
      isObject(item) && Object.entries(wanted).every(([key, value]) => deepEqual(getField(item, key), value)),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The value at `path`, or not found. */
export function lookupPath(root: unknown, path: FieldPath): Found {
  let found: Found = { found: true, value: root, remove: () => undefined };
  for (const element of path) {
    if (!found.found) break;
    found = child(found.value, element);
  }
  return found;
}
