// The in-process garbage collector: watches every resource in the catalog (and those added later),
// keeps an owner graph, and queues the uids whose owner relations may need work. The rules live in
// gc-reconcile.ts; this file only maps storage events to queued uids.

import type { Logger } from "pino";
import type { ResourceCatalog } from "../registry/catalog.ts";
import { resourceKey } from "../registry/resource.ts";
import type { Store } from "../registry/store.ts";
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from "../registry/store-delete.ts";
import type { StorageEvent, WatchHandle } from "../storage/storage.ts";
import { type GcContext, processObject } from "./gc-reconcile.ts";
import { type ObjectInfo, OwnerGraph, objectInfo } from "./owner-graph.ts";
import { WorkQueue } from "./work-queue.ts";

export interface GarbageCollectorOptions {
  store: Store;
  catalog: ResourceCatalog;
  logger?: Logger;
  /** How long a never-seen owner may be missing before its dependents are deleted (default 1 s). */
  danglingGraceMs?: number;
  /** How often every owned object is queued again as a safety net (default 60 s; 0 disables). */
  resyncMs?: number;
  nowMs?: () => number;
}

const GC_FINALIZERS = [FOREGROUND_FINALIZER, ORPHAN_FINALIZER];

export class GarbageCollector {
  readonly #store: Store;
  readonly #catalog: ResourceCatalog;
  readonly #logger: Logger | undefined;
  readonly #graph = new OwnerGraph();
  readonly #queue: WorkQueue;
  readonly #watches = new Map<string, WatchHandle>();
  readonly #danglingGraceMs: number;
  readonly #resyncMs: number;
  readonly #nowMs: () => number;

  constructor(options: GarbageCollectorOptions) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    this.#danglingGraceMs = options.danglingGraceMs ?? 1000;
    this.#resyncMs = options.resyncMs ?? 60_000;
    this.#nowMs = options.nowMs ?? Date.now;
    const logger = this.#logger;
    this.#queue = new WorkQueue({
      onError: (uid, error) => logger?.warn({ uid, err: error }, "garbage collection failed; retrying"),
    });
  }

  /** Lists and watches every resource, then processes the queue until `signal` aborts. */
  start(signal: AbortSignal): void {
    if (signal.aborted) return;
    const stopCatalog = this.#catalog.onChange(() => this.#syncWatches());
    this.#syncWatches();
    const ctx: GcContext = {
      store: this.#store,
      graph: this.#graph,
      enqueue: (uid) => this.#queue.add(uid),
      nowMs: this.#nowMs,
      danglingGraceMs: this.#danglingGraceMs,
      logger: this.#logger,
    };
    this.#queue.start(signal, (uid) => processObject(ctx, uid));
    const resync =
      this.#resyncMs > 0
        ? setInterval(() => {
            for (const uid of this.#graph.interesting(GC_FINALIZERS)) this.#queue.add(uid);
          }, this.#resyncMs)
        : undefined;
    signal.addEventListener(
      "abort",
      () => {
        stopCatalog();
        if (resync !== undefined) clearInterval(resync);
        for (const handle of this.#watches.values()) handle.stop();
        this.#watches.clear();
      },
      { once: true },
    );
  }

  /** Starts watching resources new to the catalog and stops watching removed ones. */
  #syncWatches(): void {
    const served = new Set<string>();
    for (const definition of this.#catalog.all()) {
      if (!definition.verbs.includes("watch")) continue;
      const resource = resourceKey(definition);
      served.add(resource);
      if (!this.#watches.has(resource)) this.#watch(resource);
    }
    for (const [resource, handle] of this.#watches) {
      if (served.has(resource)) continue;
      handle.stop();
      this.#watches.delete(resource);
      this.#graph.removeResource(resource);
    }
  }

  #watch(resource: string): void {
    const list = this.#store.storage.list(resource);
    const fresh: string[] = [];
    for (const object of list.items) {
      const info = objectInfo(resource, object, this.#nowMs());
      this.#graph.upsert(info);
      if (info.owners.length > 0 || info.deleting) fresh.push(info.uid);
    }
    const handle = this.#store.storage.watch(
      resource,
      { sinceResourceVersion: list.resourceVersion },
      (event) => this.#onEvent(resource, event),
    );
    this.#watches.set(resource, handle);
    for (const uid of fresh) this.#queue.add(uid);
  }

  /** Runs synchronously inside a storage write: only updates the graph and queues uids. */
  #onEvent(resource: string, event: StorageEvent): void {
    const info = objectInfo(resource, event.object, this.#nowMs());
    if (event.type === "DELETED") {
      const removed = this.#graph.remove(info.uid, { gone: true });
      for (const dependent of this.#graph.dependents(info.uid)) this.#queue.add(dependent.uid);
      this.#queueOwners(removed ?? info);
      return;
    }
    const previous = this.#graph.upsert(info);
    if (info.owners.length > 0) this.#queue.add(info.uid);
    if (info.deleting && info.finalizers.some((f) => GC_FINALIZERS.includes(f))) {
      this.#queue.add(info.uid);
      if (info.finalizers.includes(FOREGROUND_FINALIZER)) {
        for (const dependent of this.#graph.dependents(info.uid)) this.#queue.add(dependent.uid);
      }
    }
    this.#queueOwners(info);
    if (previous !== undefined) this.#queueOwners(previous);
  }

  /** Owners in foreground deletion re-check whether this dependent still blocks them. */
  #queueOwners(info: ObjectInfo): void {
    for (const ref of info.owners) {
      const owner = this.#graph.get(ref.uid);
      if (owner?.deleting && owner.finalizers.includes(FOREGROUND_FINALIZER)) this.#queue.add(owner.uid);
    }
  }
}
