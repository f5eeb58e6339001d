// Moving objects between the versions of one resource: the store keeps the storage version, each
// request sees the version in its URL.

import type { KubeObject } from "../../api/object.ts";
import { apiVersionOf, type ResourceDefinition } from "./resource.ts";

export function storageVersionOf(definition: ResourceDefinition): string {
  const storage = definition.versions.find((v) => v.storage);
  if (!storage) throw new Error(`resource ${definition.plural}.${definition.group} has no storage version`);
  return storage.name;
}

/** The object as `version` shows it, with apiVersion and kind set. Never mutates `object`. */
export function convertTo(definition: ResourceDefinition, object: KubeObject, version: string): KubeObject {
  const apiVersion = apiVersionOf(definition.group, version);
  if (object.apiVersion === apiVersion && object.kind === definition.kind) return object;
  const converted =
    object.apiVersion !== apiVersion && definition.convert
      ? definition.convert(object, version)
      : { ...object, apiVersion, kind: definition.kind };
  return converted;
}

export function convertToStorage(definition: ResourceDefinition, object: KubeObject): KubeObject {
  return convertTo(definition, object, storageVersionOf(definition));
}
