// A small typed client for one resource (custom or built-in) addressed by group/version/plural.
// Every call takes an AbortSignal; failures arrive as `ApiStatusError`.

import type { KubeObject } from "../api/object.ts";
import { apiVersionOf, type ObjectList, type ResourceRef, type RestClient, resourcePath } from "./rest.ts";

export type PatchType = "merge" | "json";

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
};

export interface CallOptions {
  signal: AbortSignal;
  /** Required for namespaced resources (except list across all namespaces). */
  namespace?: string;
}

export interface ListOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface PatchOptions extends CallOptions {
  type: PatchType;
  subresource?: "status";
}

export interface DeleteOptions extends CallOptions {
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
}

export class ResourceClient<T extends KubeObject> {
  readonly resource: ResourceRef;
  readonly #rest: RestClient;
  readonly #fieldManager: string | undefined;

  constructor(rest: RestClient, resource: ResourceRef, fieldManager?: string) {
    this.#rest = rest;
    this.resource = resource;
    this.#fieldManager = fieldManager;
  }

  get(name: string, options: CallOptions): Promise<T> {
    return this.#call<T>("GET", options, name);
  }

  list(options: ListOptions): Promise<ObjectList<T>> {
    const query = {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
      resourceVersion: options.resourceVersion,
    };
    return this.#rest.request({
      method: "GET",
      path: resourcePath(this.resource, options.namespace),
      query,
      signal: options.signal,
    });
  }

  create(object: T, options: CallOptions): Promise<T> {
    const namespace = options.namespace ?? object.metadata.namespace;
    return this.#rest.request({
      method: "POST",
      path: resourcePath(this.resource, namespace),
      query: { fieldManager: this.#fieldManager },
      body: this.#typed(object),
      signal: options.signal,
    });
  }

  /** PUT; `object.metadata.resourceVersion` makes it conditional (409 Conflict when stale). */
  update(object: T, options: CallOptions): Promise<T> {
    return this.#put(object, options);
  }

  /** PUT to `/status`: only `.status` changes. */
  updateStatus(object: T, options: CallOptions): Promise<T> {
    return this.#put(object, options, "status");
  }

  patch(name: string, patch: unknown, options: PatchOptions): Promise<T> {
    return this.#rest.request({
      method: "PATCH",
      path: resourcePath(this.resource, options.namespace, name, options.subresource),
      query: { fieldManager: this.#fieldManager },
      body: patch,
      contentType: PATCH_CONTENT_TYPES[options.type],
      signal: options.signal,
    });
  }

  /** Resolves with the server's answer: the object (finalizers pending, pods) or a Status. */
  delete(name: string, options: DeleteOptions): Promise<unknown> {
    const body = { propagationPolicy: options.propagationPolicy, preconditions: options.preconditions };
    return this.#rest.request({
      method: "DELETE",
      path: resourcePath(this.resource, options.namespace, name),
      body: { kind: "DeleteOptions", apiVersion: "v1", ...body },
      signal: options.signal,
    });
  }

  #put(object: T, options: CallOptions, subresource?: string): Promise<T> {
    const name = object.metadata.name;
    if (name === undefined) throw new Error("update needs metadata.name");
    const namespace = options.namespace ?? object.metadata.namespace;
    return this.#rest.request({
      method: "PUT",
      path: resourcePath(this.resource, namespace, name, subresource),
      query: { fieldManager: this.#fieldManager },
      body: this.#typed(object),
      signal: options.signal,
    });
  }

  #call<R>(method: "GET", options: CallOptions, name: string): Promise<R> {
    return this.#rest.request({
      method,
      path: resourcePath(this.resource, options.namespace, name),
      signal: options.signal,
    });
  }

  #typed(object: T): T {
    return { ...object, apiVersion: apiVersionOf(this.resource), kind: this.resource.kind };
  }
}
