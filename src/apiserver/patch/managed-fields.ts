// `metadata.managedFields`: which manager set which fields, by Apply or by an ordinary write (Update).
// Server-side apply reads other managers' entries to know what it may remove; `recordUpdate` keeps
// those entries for writes that are not applies.

import { isDeepStrictEqual } from "node:util";
import type { KubeObject } from "../../api/object.ts";
import {
  type FieldPath,
  type FieldsV1,
  fieldsFromMembers,
  fieldsV1Of,
  lookupPath,
  membersOf,
  pathKey,
} from "./fields-v1.ts";
import { clone, deepEqual, isObject } from "./json-value.ts";
import type { PatchSchema } from "./schema.ts";

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion?: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: FieldsV1;
  subresource?: string;
}

export interface ManagedFieldsOptions {
  /** The clock for entry timestamps; defaults to the system clock. */
  now?: () => Date;
}

/** The object's entries that are well-formed enough to reason about; others are dropped. */
export function managedFieldsOf(obj: KubeObject | undefined): ManagedFieldsEntry[] {
  const entries = obj?.metadata.managedFields ?? [];
  return entries.filter(
    (entry): entry is ManagedFieldsEntry =>
      isObject(entry) &&
      typeof entry.manager === "string" &&
      (entry.operation === "Apply" || entry.operation === "Update") &&
      isObject(entry.fieldsV1),
  );
}

/** Kubernetes' metav1.Time: RFC 3339 in UTC, whole seconds. */
export function timestamp(options: ManagedFieldsOptions): string {
  const now = options.now?.() ?? new Date();
  return now.toISOString().replace(/\.\d+Z$/, "Z");
}

export function newEntry(
  manager: string,
  operation: ManagedFieldsEntry["operation"],
  apiVersion: string | undefined,
  fieldsV1: FieldsV1,
  options: ManagedFieldsOptions,
): ManagedFieldsEntry {
  const entry: ManagedFieldsEntry = {
    manager,
    operation,
    time: timestamp(options),
    fieldsType: "FieldsV1",
    fieldsV1,
  };
  if (apiVersion !== undefined) entry.apiVersion = apiVersion;
  return entry;
}

/** Entries with `owner`'s entry replaced in place (or appended), keeping every other entry's order. */
export function replaceEntry(
  entries: readonly ManagedFieldsEntry[],
  owner: ManagedFieldsEntry,
): ManagedFieldsEntry[] {
  const same = (entry: ManagedFieldsEntry): boolean =>
    entry.manager === owner.manager && entry.operation === owner.operation;
  const index = entries.findIndex(same);
  if (index < 0) return [...entries, owner];
  // An entry whose fields did not change keeps its time, so re-applying the same configuration is a
  // no-op write (same resourceVersion, no watch event), as in Kubernetes.
  const previous = entries[index];
  if (
    previous &&
    previous.apiVersion === owner.apiVersion &&
    isDeepStrictEqual(previous.fieldsV1, owner.fieldsV1)
  ) {
    return [...entries];
  }
  return entries.map((entry, i) => (i === index ? owner : entry));
}

/**
 * Records an ordinary write (create, update, non-apply patch) by `manager`: it takes ownership of
 * every field it added or changed, other managers lose those fields, and fields the object no longer
 * has leave every entry. Returns a copy of `after` carrying the new managedFields.
 */
export function recordUpdate(
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
  schema: PatchSchema | undefined,
  options: ManagedFieldsOptions = {},
): KubeObject {
  const result = clone(after);
  const changed = membersOf(fieldsV1Of(after, schema)).filter((path) => isChanged(before, after, path));
  const changedKeys = new Set(changed.map(pathKey));
  const entries: ManagedFieldsEntry[] = [];
  let own: FieldPath[] = [];
  for (const entry of managedFieldsOf(before ?? after)) {
    const kept = membersOf(entry.fieldsV1).filter((path) => lookupPath(after, path).found);
    if (entry.manager === manager && entry.operation === "Update") own = kept;
    else
      pushEntry(
        entries,
        entry,
        kept.filter((path) => !changedKeys.has(pathKey(path))),
      );
  }
  const mine = [...own.filter((path) => !changedKeys.has(pathKey(path))), ...changed];
  const owner = newEntry(manager, "Update", after.apiVersion, fieldsFromMembers(mine), options);
  result.metadata.managedFields = mine.length > 0 ? replaceEntry(entries, owner) : entries;
  return result;
}

function pushEntry(entries: ManagedFieldsEntry[], entry: ManagedFieldsEntry, members: FieldPath[]): void {
  if (members.length > 0) entries.push({ ...clone(entry), fieldsV1: fieldsFromMembers(members) });
}

/** A list element changes when it appears; any other field when its value differs. */
function isChanged(before: KubeObject | undefined, after: KubeObject, path: FieldPath): boolean {
  const old = lookupPath(before, path);
  if (!old.found) return true;
  const last = path.at(-1) ?? "";
  if (!last.startsWith("f:")) return false;
  const current = lookupPath(after, path);
  return !current.found || !deepEqual(old.value, current.value);
}
