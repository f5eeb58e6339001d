// Merges Ignition configs the way Ignition merges a child config into its parent, which is what the
// MCO does with the configs of a pool's MachineConfigs (each one merged into the result so far):
//
// - A field the child specifies replaces the parent's; a field it leaves out is inherited. Objects
//   (contents, user, group, ...) merge field by field, so a later file entry at the same path
//   overrides only the fields it sets (e.g. new contents keep an earlier mode).
// - Lists of objects are keyed (files/directories/links by path, units, dropins, users and groups by
//   name, ...): entries with the same key merge in place, new entries are appended.
// - Files, directories and links share one key space: a later directory at a path removes an earlier
//   file or link there. kernelArguments shouldExist/shouldNotExist share one too.
// - Lists of strings (sshAuthorizedKeys, groups, noProxy, ...) are unions that keep first-seen order.
// - `append`, mkfs/mount/mdadm/cryptsetup option lists are concatenated.
// - An HTTP header without a value removes the earlier header of that name.
//
// The result declares spec 3.4.0: every accepted 3.x config is valid 3.4.0, and a fixed version keeps
// the merged config (and so the rendered config name) independent of which inputs were newest.

import { isPlainObject } from "./schema-walk.ts";
import { type IgnitionConfig, MERGED_SPEC_VERSION } from "./types.ts";

type Json = unknown;
type Item = Record<string, unknown>;
type KeyOf = (item: Item) => string;

const field =
  (name: string): KeyOf =>
  (item) =>
    String(item[name] ?? "");

/** Keyed lists by schema path (list indexes left out). */
const KEYED: Readonly<Record<string, KeyOf>> = {
  "ignition.config.merge": field("source"),
  "ignition.security.tls.certificateAuthorities": field("source"),
  "storage.disks": field("device"),
  "storage.disks.partitions": (item) =>
    typeof item.number === "number" && item.number !== 0
      ? `number:${item.number}`
      : `label:${item.label ?? ""}`,
  "storage.raid": field("name"),
  "storage.filesystems": field("device"),
  "storage.files": field("path"),
  "storage.directories": field("path"),
  "storage.links": field("path"),
  "storage.luks": field("name"),
  "storage.luks.clevis.tang": field("url"),
  "systemd.units": field("name"),
  "systemd.units.dropins": field("name"),
  "passwd.users": field("name"),
  "passwd.groups": field("name"),
};

/** Lists that are simply concatenated. */
const APPENDED: ReadonlySet<string> = new Set([
  "storage.files.append",
  "storage.filesystems.options",
  "storage.filesystems.mountOptions",
  "storage.raid.options",
  "storage.luks.options",
  "storage.luks.openOptions",
]);

/** Merges configs in the order given (for MachineConfigs: sorted by name); later configs win. */
export function mergeIgnitionConfigs(configs: readonly IgnitionConfig[]): IgnitionConfig {
  let merged: Json = { ignition: { version: MERGED_SPEC_VERSION } };
  for (const config of configs) merged = mergeValue(merged, config, "");
  const out = structuredClone(merged) as IgnitionConfig;
  out.ignition.version = MERGED_SPEC_VERSION;
  return out;
}

function mergeValue(parent: Json, child: Json, path: string): Json {
  if (child === undefined) return parent;
  if (parent === undefined) return child;
  if (Array.isArray(parent) && Array.isArray(child)) return mergeList(parent, child, path);
  if (isPlainObject(parent) && isPlainObject(child)) return mergeObject(parent, child, path);
  return child;
}

function mergeObject(parent: Item, child: Item, path: string): Item {
  const base = sharedKeySpaces(parent, child, path);
  const out: Item = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(child)])) {
    const value = mergeValue(base[key], child[key], path === "" ? key : `${path}.${key}`);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Drops parent entries whose key the child uses in a sibling list of the same key space. */
function sharedKeySpaces(parent: Item, child: Item, path: string): Item {
  if (path === "storage") return dropClaimed(parent, child, ["files", "directories", "links"], "path");
  if (path === "kernelArguments") return dropClaimed(parent, child, ["shouldExist", "shouldNotExist"], null);
  return parent;
}

function dropClaimed(parent: Item, child: Item, lists: readonly string[], keyField: string | null): Item {
  const keyOf = (entry: unknown): string =>
    keyField === null ? String(entry) : isPlainObject(entry) ? String(entry[keyField] ?? "") : "";
  const out: Item = { ...parent };
  for (const list of lists) {
    const own = parent[list];
    if (!Array.isArray(own)) continue;
    const claimedElsewhere = new Set<string>();
    for (const other of lists) {
      const theirs = child[other];
      if (other !== list && Array.isArray(theirs))
        for (const entry of theirs) claimedElsewhere.add(keyOf(entry));
    }
    out[list] = own.filter((entry) => !claimedElsewhere.has(keyOf(entry)));
  }
  return out;
}

function mergeList(parent: readonly Json[], child: readonly Json[], path: string): Json[] {
  if (APPENDED.has(path)) return [...parent, ...child];
  const isHeaders = path.endsWith(".httpHeaders");
  const keyOf = isHeaders ? field("name") : KEYED[path];
  if (keyOf === undefined) {
    const seen = new Set(parent);
    return [...parent, ...child.filter((entry) => !seen.has(entry))];
  }
  const key = (entry: Json): string => (isPlainObject(entry) ? keyOf(entry) : String(entry));
  const childByKey = new Map(child.map((entry) => [key(entry), entry] as const));
  const parentKeys = new Set(parent.map(key));
  const out: Json[] = [];
  for (const entry of parent) {
    const match = childByKey.get(key(entry));
    if (match === undefined) out.push(entry);
    else if (!(isHeaders && isPlainObject(match) && match.value === undefined)) {
      out.push(mergeValue(entry, match, path));
    }
  }
  for (const entry of child) if (!parentKeys.has(key(entry))) out.push(entry);
  return out;
}
