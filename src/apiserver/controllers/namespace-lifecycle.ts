// The namespace controller: creates the default namespaces, and empties a namespace being deleted
// (every namespaced resource in the catalog, finalizers respected) before removing `kubernetes`
// from its spec.finalizers, which lets the store remove it.

import type { Logger } from "pino";
import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { NAMESPACE_FINALIZER } from "../registry/builtin/namespace.ts";
import type { ResourceCatalog } from "../registry/catalog.ts";
import type { ResourceDefinition } from "../registry/resource.ts";
import { resourceKey } from "../registry/resource.ts";
import { isApiError } from "../registry/storage-errors.ts";
import type { Scope, Store } from "../registry/store.ts";
import { storageVersionOf } from "../registry/versions.ts";
import type { WatchHandle } from "../storage/storage.ts";
import { type ProcessResult, WorkQueue } from "./work-queue.ts";

export { namespaceLifecycleAdmission } from "./namespace-admission.ts";

export const DEFAULT_NAMESPACES: readonly string[] = [
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
];
const NAMESPACES = "namespaces";

export interface NamespaceLifecycleOptions {
  store: Store;
  catalog: ResourceCatalog;
  logger?: Logger;
  /** How soon a namespace whose contents are still going is checked again (default 250 ms). */
  recheckMs?: number;
}

export class NamespaceLifecycle {
  readonly #store: Store;
  readonly #catalog: ResourceCatalog;
  readonly #logger: Logger | undefined;
  readonly #recheckMs: number;
  readonly #queue: WorkQueue;

  constructor(options: NamespaceLifecycleOptions) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    this.#recheckMs = options.recheckMs ?? 250;
    const logger = this.#logger;
    this.#queue = new WorkQueue({
      onError: (name, error) =>
        logger?.warn({ namespace: name, err: error }, "namespace cleanup failed; retrying"),
    });
  }

  /** Creates the default namespaces, then finalizes deleted namespaces until `signal` aborts. */
  start(signal: AbortSignal): void {
    if (signal.aborted) return;
    const scope = this.#namespaceScope();
    for (const name of DEFAULT_NAMESPACES) this.#ensureNamespace(scope, name);
    const list = this.#store.storage.list(NAMESPACES);
    for (const namespace of list.items) this.#observe(namespace);
    const handle: WatchHandle = this.#store.storage.watch(
      NAMESPACES,
      { sinceResourceVersion: list.resourceVersion },
      (event) => {
        if (event.type !== "DELETED") this.#observe(event.object);
      },
    );
    this.#queue.start(signal, (name) => this.#finalize(name));
    signal.addEventListener("abort", () => handle.stop(), { once: true });
  }

  #observe(namespace: KubeObject): void {
    if (namespace.metadata.deletionTimestamp !== undefined && namespace.metadata.name) {
      this.#queue.add(namespace.metadata.name);
    }
  }

  #namespaceScope(): Scope {
    const definition = this.#catalog.get(NAMESPACES);
    if (definition === undefined) throw new Error("the catalog has no namespaces resource");
    return { definition, version: storageVersionOf(definition), namespace: "" };
  }

  #ensureNamespace(scope: Scope, name: string): void {
    try {
      this.#store.create(scope, { metadata: { name } });
      this.#logger?.info({ namespace: name }, "created default namespace");
    } catch (error) {
      if (!isApiError(error, 409)) throw error;
    }
  }

  /** One pass over a deleted namespace: delete what is left, or finalize it when nothing is. */
  #finalize(name: string): ProcessResult | undefined {
    const scope = this.#namespaceScope();
    let namespace: KubeObject;
    try {
      namespace = this.#store.get(scope, name);
    } catch (error) {
      if (isApiError(error, 404)) return undefined;
      throw error;
    }
    if (namespace.metadata.deletionTimestamp === undefined) return undefined;
    let remaining = 0;
    for (const definition of this.#catalog.all()) {
      if (definition.namespaced && definition.verbs.includes("delete"))
        remaining += this.#deleteAll(definition, name);
    }
    if (remaining > 0) return { requeueAfterMs: this.#recheckMs };
    this.#store.write(scope, name, undefined, (current) => {
      const next = structuredClone(current);
      const spec = next.spec;
      if (isPlainObject(spec) && Array.isArray(spec.finalizers)) {
        spec.finalizers = spec.finalizers.filter((f: unknown) => f !== NAMESPACE_FINALIZER);
      }
      return next;
    });
    this.#logger?.info({ namespace: name }, "namespace finalized");
    return undefined;
  }

  /** Starts deletion of every object of one resource in the namespace; returns how many remain. */
  #deleteAll(definition: ResourceDefinition, namespace: string): number {
    const scope: Scope = { definition, version: storageVersionOf(definition), namespace };
    let remaining = 0;
    for (const object of this.#store.storage.list(resourceKey(definition), { namespace }).items) {
      const { name = "", uid, deletionTimestamp } = object.metadata;
      if (deletionTimestamp !== undefined) {
        remaining++;
        continue;
      }
      try {
        const result = this.#store.delete(scope, name, uid === undefined ? {} : { preconditions: { uid } });
        if (!result.deleted) remaining++;
      } catch (error) {
        if (isApiError(error, 409)) remaining++;
        else if (!isApiError(error, 404)) throw error;
      }
    }
    return remaining;
  }
}
