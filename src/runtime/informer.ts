// An informer: LIST (paged) into a cache, then WATCH from the list's resourceVersion with bookmarks,
// reconnecting from the last seen resourceVersion. On 410 Expired it relists and reconciles the
// cache against the fresh list, synthesising deletes (as `DeletedFinalStateUnknown` tombstones)
// for objects that vanished and updates for ones that changed. Errors back off and retry; the loop
// ends only when the start signal aborts.

import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import { silentLogger } from "../logging.ts";
import { CacheStore, DeletedFinalStateUnknown, type IndexFunc, keyOf } from "./cache-store.ts";
import { type Clock, jitter, realClock, sleep } from "./clock.ts";
import { type ApiStatusError, apiStatusErrorFrom, isExpired } from "./errors.ts";
import type { KubeClients } from "./kube-client.ts";
import type { ResourceClient } from "./resource-client.ts";
import { apiVersionOf, type ResourceRef, resourcePath } from "./rest.ts";
import {
  clientNodeWatch,
  isWatchTimeout,
  type OpenWatch,
  type WatchEvent,
  watchStatusCode,
} from "./watch-stream.ts";

export interface EventHandler<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** Unwrap with `objectOf`: a relist reports vanished objects as tombstones. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface InformerOptions {
  clients: KubeClients;
  resource: ResourceRef;
  /** Only this namespace; all namespaces when unset. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** LIST page size (default 500). */
  pageSize?: number;
  /** Watch `timeoutSeconds` before jitter of up to 100% (default 300). */
  watchTimeoutSeconds?: number;
  /** Retry delay after a failure, doubling up to `maxBackoffMs` (defaults 500 ms and 30 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  logger?: Logger;
  clock?: Clock;
  /** Opens watch connections (default: client-node's `Watch`); tests wrap it to cut connections. */
  openWatch?: OpenWatch;
}

type WatchOutcome = "expired" | "closed";

/** What the manager needs of an informer, whatever its object type. */
export interface Cache {
  readonly resource: ResourceRef;
  start(signal: AbortSignal): Promise<void>;
  hasSynced(): boolean;
  stopped(): Promise<void>;
}

export class Informer<T extends KubeObject> implements Cache {
  readonly resource: ResourceRef;
  readonly #options: InformerOptions;
  readonly #client: ResourceClient<T>;
  readonly #openWatch: OpenWatch;
  readonly #store = new CacheStore<T>();
  readonly #handlers: EventHandler<T>[] = [];
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #synced = Promise.withResolvers<void>();
  #hasSynced = false;
  #lastResourceVersion = "";
  #loop: Promise<void> | undefined;

  constructor(options: InformerOptions) {
    this.#options = options;
    this.resource = options.resource;
    this.#client = options.clients.resource<T>(options.resource);
    this.#openWatch = options.openWatch ?? clientNodeWatch(options.clients.kubeConfig);
    this.#clock = options.clock ?? realClock;
    const { group, plural } = options.resource;
    this.#logger = (options.logger ?? silentLogger()).child({
      informer: group ? `${plural}.${group}` : plural,
    });
    this.#synced.promise.catch(() => undefined);
  }

  /** Handlers run synchronously, in registration order; one added after sync sees adds for the cache. */
  addEventHandler(handler: EventHandler<T>): void {
    this.#handlers.push(handler);
    if (this.#hasSynced) for (const obj of this.#store.list()) handler.onAdd?.(obj);
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.#store.addIndexer(name, fn);
  }

  get(key: string): T | undefined {
    return this.#store.get(key);
  }

  list(): T[] {
    return this.#store.list();
  }

  byIndex(name: string, value: string): T[] {
    return this.#store.byIndex(name, value);
  }

  hasSynced(): boolean {
    return this.#hasSynced;
  }

  /**
   * Starts the list/watch loop; resolves once the first list is in the cache, rejects if `signal`
   * aborts first. The loop keeps running until `signal` aborts (see `stopped`).
   */
  start(signal: AbortSignal): Promise<void> {
    if (this.#loop !== undefined) throw new Error("informer already started");
    this.#loop = this.#run(signal);
    signal.addEventListener("abort", () => this.#synced.reject(signal.reason), { once: true });
    return this.#synced.promise;
  }

  /** Resolves when the loop has ended after its signal aborted. */
  stopped(): Promise<void> {
    return this.#loop ?? Promise.resolve();
  }

  async #run(signal: AbortSignal): Promise<void> {
    const initial = this.#options.initialBackoffMs ?? 500;
    let backoffMs = initial;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) await this.#relist(signal);
        needList = false;
        const outcome = await this.#watch(signal, () => {
          backoffMs = initial;
        });
        needList = outcome === "expired";
      } catch (error) {
        if (signal.aborted) break;
        if (isExpired(error)) {
          needList = true;
          continue;
        }
        this.#logger.warn({ err: error, retryInMs: backoffMs }, "list/watch failed");
        await sleep(this.#clock, jitter(backoffMs, 0.2), signal);
        backoffMs = Math.min(backoffMs * 2, this.#options.maxBackoffMs ?? 30_000);
      }
    }
  }

  async #relist(signal: AbortSignal): Promise<void> {
    const fresh = new Map<string, T>();
    let resourceVersion = "";
    let token: string | undefined;
    do {
      const page = await this.#client.list({
        signal,
        limit: this.#options.pageSize ?? 500,
        ...this.#selection(),
        ...(token !== undefined ? { continue: token } : {}),
      });
      for (const item of page.items) fresh.set(keyOf(item), this.#withTypeMeta(item));
      resourceVersion = page.metadata.resourceVersion ?? "";
      token = page.metadata.continue || undefined;
    } while (token !== undefined);
    this.#replace(fresh);
    this.#lastResourceVersion = resourceVersion;
    this.#logger.debug({ count: fresh.size, resourceVersion }, "listed");
    if (!this.#hasSynced) {
      this.#hasSynced = true;
      this.#synced.resolve();
    }
  }

  /** Makes the cache equal `fresh`, reporting each difference to the handlers. */
  #replace(fresh: Map<string, T>): void {
    for (const key of this.#store.keys()) {
      if (fresh.has(key)) continue;
      const old = this.#store.delete(key);
      if (old !== undefined) this.#emitDelete(new DeletedFinalStateUnknown(key, old));
    }
    for (const [key, obj] of fresh) {
      const old = this.#store.get(key);
      if (old !== undefined && old.metadata.resourceVersion === obj.metadata.resourceVersion) continue;
      this.#store.set(key, obj);
      this.#emitUpsert(old, obj);
    }
  }

  async #watch(signal: AbortSignal, onActivity: () => void): Promise<WatchOutcome> {
    const connection = new AbortController();
    const stop = (): void => connection.abort();
    signal.addEventListener("abort", stop, { once: true });
    let outcome: WatchOutcome = "closed";
    let failure: ApiStatusError | undefined;
    const startedAt = this.#clock.now();
    const onEvent = (event: WatchEvent): void => {
      if (connection.signal.aborted) return;
      onActivity();
      if (event.type !== "ERROR") {
        this.#apply(event);
        return;
      }
      const status = apiStatusErrorFrom(500, event.object);
      if (status.code === 410) outcome = "expired";
      else failure = status;
      connection.abort();
    };
    try {
      await this.#openWatch(
        { path: this.#watchPath(), query: this.#watchQuery(), signal: connection.signal },
        onEvent,
      );
    } catch (error) {
      if (watchStatusCode(error) === 410) return "expired";
      if (!isWatchTimeout(error)) throw error;
    } finally {
      signal.removeEventListener("abort", stop);
    }
    if (failure !== undefined) throw failure;
    if (outcome === "closed" && this.#clock.now() - startedAt < 1000 && !signal.aborted) {
      throw new Error("watch closed right after it opened");
    }
    return outcome;
  }

  #apply(event: WatchEvent): void {
    const obj = event.object as T;
    const resourceVersion = obj.metadata?.resourceVersion;
    if (resourceVersion !== undefined) this.#lastResourceVersion = resourceVersion;
    if (event.type === "BOOKMARK") return;
    const key = keyOf(obj);
    if (event.type === "DELETED") {
      this.#store.delete(key);
      this.#emitDelete(obj);
      return;
    }
    if (event.type !== "ADDED" && event.type !== "MODIFIED") return;
    const typed = this.#withTypeMeta(obj);
    this.#emitUpsert(this.#store.set(key, typed), typed);
  }

  #emitUpsert(old: T | undefined, obj: T): void {
    for (const handler of this.#handlers) {
      this.#guard(() => (old === undefined ? handler.onAdd?.(obj) : handler.onUpdate?.(old, obj)));
    }
  }

  #emitDelete(obj: T | DeletedFinalStateUnknown<T>): void {
    for (const handler of this.#handlers) this.#guard(() => handler.onDelete?.(obj));
  }

  #guard(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#logger.error({ err: error }, "event handler threw");
    }
  }

  #selection(): { namespace?: string; labelSelector?: string; fieldSelector?: string } {
    const { namespace, labelSelector, fieldSelector } = this.#options;
    return {
      ...(namespace !== undefined ? { namespace } : {}),
      ...(labelSelector !== undefined ? { labelSelector } : {}),
      ...(fieldSelector !== undefined ? { fieldSelector } : {}),
    };
  }

  #watchPath(): string {
    return resourcePath(this.resource, this.#options.namespace);
  }

  #watchQuery(): Record<string, string | number | boolean | undefined> {
    const { labelSelector, fieldSelector } = this.#options;
    return {
      resourceVersion: this.#lastResourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: Math.floor(jitter(this.#options.watchTimeoutSeconds ?? 300, 1)),
      labelSelector,
      fieldSelector,
    };
  }

  /** List items come without apiVersion/kind; handlers and the event recorder want them. */
  #withTypeMeta(obj: T): T {
    if (obj.apiVersion !== undefined && obj.kind !== undefined) return obj;
    return { ...obj, apiVersion: apiVersionOf(this.resource), kind: this.resource.kind };
  }
}
