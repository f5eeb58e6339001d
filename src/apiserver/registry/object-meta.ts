// Rules on metadata that hold for every kind: which fields the server owns, and when a change
// counts as a new generation.

import { isDeepStrictEqual } from "node:util";
import type { KubeObject } from "../../api/object.ts";
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
  if (meta.managedFields === undefined && old.managedFields !== undefined) meta.managedFields = old.managedFields;
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
