// Serves what CustomResourceDefinitions define: registers a resource in the catalog when a CRD is
// stored (synchronously, so a CRD is served as soon as its create returns), re-registers on change,
// and on removal unregisters it and deletes its objects.

import type { Logger } from "pino";
import type { KubeObject } from "../../api/object.ts";
import type { Storage, WatchHandle } from "../storage/storage.ts";
import type { ResourceCatalog } from "./catalog.ts";
import { type ResourceDefinition, resourceKey } from "./resource.ts";

export const CRD_RESOURCE = "customresourcedefinitions.apiextensions.k8s.io";

export interface CrdRegistrarOptions {
  storage: Storage;
  catalog: ResourceCatalog;
  /** Builds the served resource from a stored CRD; throws when the CRD cannot be served. */
  toResource: (crd: KubeObject) => ResourceDefinition;
  /** The status of a served CRD (NamesAccepted, Established); written after registering when it differs. */
  statusFor?: (crd: KubeObject, now: Date) => Record<string, unknown>;
  logger?: Logger;
}

export class CrdRegistrar {
  readonly #options: CrdRegistrarOptions;
  /** CRD name → the resource key it registered. */
  readonly #registered = new Map<string, string>();
  #handle: WatchHandle | undefined;

  constructor(options: CrdRegistrarOptions) {
    this.#options = options;
  }

  /** Registers every stored CRD, then follows changes until the signal aborts. */
  start(signal: AbortSignal): void {
    const { storage } = this.#options;
    const existing = storage.list(CRD_RESOURCE);
    for (const crd of existing.items) this.#register(crd);
    this.#handle = storage.watch(
      CRD_RESOURCE,
      { sinceResourceVersion: existing.resourceVersion },
      (event) => {
        if (event.type === "DELETED") this.#unregister(event.object);
        else this.#register(event.object);
      },
    );
    signal.addEventListener("abort", () => this.#handle?.stop(), { once: true });
  }

  #register(crd: KubeObject): void {
    const name = crd.metadata.name ?? "";
    let definition: ResourceDefinition;
    try {
      definition = this.#options.toResource(crd);
    } catch (error) {
      this.#options.logger?.warn({ crd: name, err: error }, "cannot serve CustomResourceDefinition");
      return;
    }
    const key = resourceKey(definition);
    const previous = this.#registered.get(name);
    if (previous !== undefined && previous !== key) this.#options.catalog.remove(previous);
    this.#registered.set(name, key);
    this.#options.catalog.add(definition);
    // Writes wait for a macrotask: storage is still delivering this event to other watchers.
    setImmediate(() => this.#writeStatus(name));
  }

  /** Marks a served CRD accepted and established; a no-op write once it is. */
  #writeStatus(name: string): void {
    const { statusFor, storage } = this.#options;
    if (statusFor === undefined || !this.#registered.has(name)) return;
    try {
      storage.guaranteedUpdate({ resource: CRD_RESOURCE, namespace: "", name }, (current) => ({
        ...current,
        status: statusFor(current, new Date()),
      }));
    } catch (error) {
      this.#options.logger?.debug({ crd: name, err: error }, "cannot write CustomResourceDefinition status");
    }
  }

  #unregister(crd: KubeObject): void {
    const name = crd.metadata.name ?? "";
    const key = this.#registered.get(name);
    if (key === undefined) return;
    this.#registered.delete(name);
    this.#options.catalog.remove(key);
    // Writes wait for a macrotask: storage is still delivering this event to other watchers.
    setImmediate(() => this.#deleteObjects(key));
  }

  #deleteObjects(key: string): void {
    const { storage } = this.#options;
    if (this.#options.catalog.get(key)) return;
    for (const object of storage.list(key).items) {
      try {
        storage.delete({
          resource: key,
          namespace: object.metadata.namespace ?? "",
          name: object.metadata.name ?? "",
        });
      } catch {
        // Already gone.
      }
    }
  }
}
