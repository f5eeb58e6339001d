// Rules on metadata that hold for every kind: which fields the server owns, and when a change
// counts as a new generation.

import { isDeepStrictEqual } from "node:util";
import { isPlainObject, type KubeObject } from "../../api/object.ts";
import type { Strategy } from "./resource.ts";

/** Copies the fields a client may not change on update from the stored object. */
export function keepServerOwnedMetadata(object: KubeObject, current: KubeObject): void {
  const meta = object.metadata;
  const old = current.metadata;
  setOrDelete(meta, "uid", old.uid);
  setOrDelete(meta, "creationTimestamp", old.creationTimestamp);
  setOrDelete(meta, "name", old.name);
  setOrDelete(meta, "namespace", old.namespace);
  setOrDelete(meta, "generation", old.generation);
  setOrDelete(meta, "deletionTimestamp", old.deletionTimestamp);
  setOrDelete(meta, "deletionGracePeriodSeconds", old.deletionGracePeriodSeconds);
  if (meta.generateName === undefined && old.generateName !== undefined) meta.generateName = old.generateName;
  if (meta.managedFields === undefined && old.managedFields !== undefined)
    meta.managedFields = old.managedFields;
}

function setOrDelete<K extends keyof KubeObject["metadata"]>(
  meta: KubeObject["metadata"],
  key: K,
  value: KubeObject["metadata"][K],
): void {
  if (value === undefined) delete meta[key];
  else meta[key] = value;
}

/** Everything but metadata (and status, when status has its own endpoint): what generation tracks. */
function generationFields(object: KubeObject, strategy: Strategy): Record<string, unknown> {
  const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  if (strategy.hasStatusSubresource) delete rest.status;
  return rest;
}

export function bumpGenerationIfChanged(object: KubeObject, current: KubeObject, strategy: Strategy): void {
  if (!strategy.tracksGeneration) return;
  const before = current.metadata.generation ?? 1;
  object.metadata.generation = isDeepStrictEqual(
    generationFields(object, strategy),
    generationFields(current, strategy),
  )
    ? before
    : before + 1;
}

/** True when the write would store exactly what is stored (resourceVersion aside). */
export function isNoOp(object: KubeObject, current: KubeObject): boolean {
  const { resourceVersion: _a, ...meta } = object.metadata;
  const { resourceVersion: _b, ...currentMeta } = current.metadata;
  return isDeepStrictEqual({ ...object, metadata: meta }, { ...current, metadata: currentMeta });
}

/** Finalizers present now that were not there before. */
export function addedFinalizers(object: KubeObject, current: KubeObject): string[] {
  const before = new Set(current.metadata.finalizers ?? []);
  return (object.metadata.finalizers ?? []).filter((f) => !before.has(f));
}

type MetaFieldType = "string" | "integer" | "stringMap" | "stringList" | "objectList";

/** How Go decodes ObjectMeta: a field of another JSON type fails decoding (400), before any rule. */
const META_FIELD_TYPES: Record<string, MetaFieldType> = {
  name: "string",
  generateName: "string",
  namespace: "string",
  selfLink: "string",
  uid: "string",
  resourceVersion: "string",
  creationTimestamp: "string",
  deletionTimestamp: "string",
  generation: "integer",
  deletionGracePeriodSeconds: "integer",
  labels: "stringMap",
  annotations: "stringMap",
  finalizers: "stringList",
  ownerReferences: "objectList",
  managedFields: "objectList",
};

const GO_TYPES: Record<MetaFieldType, string> = {
  string: "string",
  integer: "int64",
  stringMap: "map[string]string",
  stringList: "[]string",
  objectList: "[]object",
};

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  return typeof value;
}

function fits(value: unknown, type: MetaFieldType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isSafeInteger(value);
    case "stringMap":
      return isPlainObject(value) && Object.values(value).every((v) => typeof v === "string");
    case "stringList":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
    case "objectList":
      return Array.isArray(value) && value.every(isPlainObject);
  }
}

/**
 * Drops null metadata fields (Go decodes them as absent) and returns why the rest cannot be decoded
 * as ObjectMeta, e.g. `json: cannot unmarshal object into Go struct field ObjectMeta.metadata.finalizers
 * of type []string`; undefined when they can.
 */
export function decodeObjectMeta(meta: Record<string, unknown>): string | undefined {
  for (const [field, type] of Object.entries(META_FIELD_TYPES)) {
    const value = meta[field];
    if (value === undefined) continue;
    if (value === null) {
      delete meta[field];
      continue;
    }
    if (!fits(value, type)) {
      return `json: cannot unmarshal ${jsonType(value)} into Go struct field ObjectMeta.metadata.${field} of type ${GO_TYPES[type]}`;
    }
  }
  return undefined;
}
