// The in-process store as the embedded platform's components use it: scopes by resource key, reads
// that return undefined for missing objects, and status writes through the status subresource.

import type { KubeObject } from "../api/object.ts";
import { isApiError } from "../apiserver/registry/storage-errors.ts";
import type { Scope, Store } from "../apiserver/registry/store.ts";
import { storageVersionOf } from "../apiserver/registry/versions.ts";
import { StorageError } from "../apiserver/storage/storage.ts";

export const PODS = "pods";
export const JOBS = "jobs.batch";
export const NODES = "nodes";
export const LEASES = "leases.coordination.k8s.io";
export const CONFIGMAPS = "configmaps";
export const SECRETS = "secrets";

export function scopeOf(store: Store, resource: string, namespace = ""): Scope {
  const definition = store.catalog.get(resource);
  if (definition === undefined) throw new Error(`the catalog has no ${resource} resource`);
  return {
    definition,
    version: storageVersionOf(definition),
    namespace: definition.namespaced ? namespace : "",
  };
}

/** The stored object, or undefined when it does not exist. */
export function find(
  store: Store,
  resource: string,
  namespace: string,
  name: string,
): KubeObject | undefined {
  try {
    return store.storage.get({ resource, namespace, name });
  } catch (error) {
    if (error instanceof StorageError && error.code === "NotFound") return undefined;
    throw error;
  }
}

/** `namespace/name` of an object, the key controllers queue. */
export function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf("/");
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/**
 * Replaces .status of the object `uid` through the status subresource. Returns false when the
 * object is gone or is another object of the same name now.
 */
export function writeStatus(
  store: Store,
  resource: string,
  object: KubeObject,
  status: (current: KubeObject) => unknown,
): boolean {
  const { namespace = "", name = "", uid } = object.metadata;
  try {
    store.write(
      scopeOf(store, resource, namespace),
      name,
      undefined,
      (current) => {
        if (uid !== undefined && current.metadata.uid !== uid) throw new GoneError();
        return { ...current, status: status(current) };
      },
      { subresource: "status" },
    );
    return true;
  } catch (error) {
    if (error instanceof GoneError || isApiError(error, 404)) return false;
    throw error;
  }
}

class GoneError extends Error {
  constructor() {
    super("the object was replaced");
    this.name = "GoneError";
  }
}

/** Whether `error` says the object is missing (404) — for deletes and writes racing a removal. */
export function isNotFound(error: unknown): boolean {
  return isApiError(error, 404);
}
