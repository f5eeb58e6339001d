// An in-memory copy of one resource's objects, kept current by a storage watch. Storage delivers
// events synchronously inside the write, so the copy is current as soon as a write returns.

import type { KubeObject } from "../../api/object.ts";
import type { Storage, WatchHandle } from "../storage/storage.ts";

export function mirrorKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class StorageMirror {
  readonly #storage: Storage;
  readonly #resource: string;
  readonly #objects = new Map<string, KubeObject>();
  readonly #onChange: () => void;
  #handle: WatchHandle | undefined;

  /** `onChange` runs after every change the watch delivers (not for the initial list). */
  constructor(storage: Storage, resource: string, onChange: () => void = () => {}) {
    this.#storage = storage;
    this.#resource = resource;
    this.#onChange = onChange;
  }

  /** Lists the resource, then follows it until the signal aborts. */
  start(signal: AbortSignal): void {
    const existing = this.#storage.list(this.#resource);
    for (const object of existing.items) this.#objects.set(keyOf(object), object);
    this.#handle = this.#storage.watch(
      this.#resource,
      { sinceResourceVersion: existing.resourceVersion },
      (event) => {
        if (event.type === "DELETED") this.#objects.delete(keyOf(event.object));
        else this.#objects.set(keyOf(event.object), event.object);
        this.#onChange();
      },
    );
    signal.addEventListener("abort", () => this.#handle?.stop(), { once: true });
  }

  /** The stored object (frozen: do not change it); namespace "" for cluster-scoped ones. */
  get(namespace: string, name: string): KubeObject | undefined {
    return this.#objects.get(mirrorKey(namespace, name));
  }

  values(): IterableIterator<KubeObject> {
    return this.#objects.values();
  }
}

function keyOf(object: KubeObject): string {
  return mirrorKey(object.metadata.namespace ?? "", object.metadata.name ?? "");
}
