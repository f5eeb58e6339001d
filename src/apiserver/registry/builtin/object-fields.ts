// Typed reads and writes of kind-specific fields, which KubeObject leaves as `unknown`.

import { isPlainObject, type KubeObject } from "../../../api/object.ts";

export type Fields = Record<string, unknown>;

export function record(value: unknown): Fields | undefined {
  return isPlainObject(value) ? value : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The string fields of a map (labels, matchLabels, data); other values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record(value) ?? {})) {
    if (typeof entry === "string") out[key] = entry;
  }
  return out;
}

/** Reads a nested field: `at(obj, "spec", "template", "spec")`. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const segment of path) {
    const fields = record(current);
    if (fields === undefined) return undefined;
    current = fields[segment];
  }
  return current;
}

/** The object at `object[field]`, created (and stored) when absent or not an object. */
export function ensureRecord(object: Fields, field: string): Fields {
  const existing = record(object[field]);
  if (existing !== undefined) return existing;
  const created: Fields = {};
  object[field] = created;
  return created;
}

/** Nested ensureRecord: `ensurePath(job, "spec", "template", "metadata")`. */
export function ensurePath(object: Fields, ...path: string[]): Fields {
  let current = object;
  for (const segment of path) current = ensureRecord(current, segment);
  return current;
}

/** Sets `object[field]` to `value` when it is undefined. */
export function setDefault(object: Fields, field: string, value: unknown): void {
  if (object[field] === undefined) object[field] = value;
}

/** Structural equality of JSON values; key order is ignored. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  const left = record(a);
  const right = record(b);
  if (left === undefined || right === undefined) return false;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  if (keys.length !== Object.keys(right).filter((key) => right[key] !== undefined).length) return false;
  return keys.every((key) => jsonEqual(left[key], right[key]));
}

export function objectName(object: KubeObject): string {
  return object.metadata.name ?? "";
}
