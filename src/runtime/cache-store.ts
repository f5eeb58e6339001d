// The informer's cache: objects by key ("namespace/name" or "name") plus named secondary indexes.
// Objects are deep-frozen on insert and shared with every reader: copy (`structuredClone`) before
// changing one.

import type { KubeObject } from "../api/object.ts";

/**
 * Handed to delete handlers instead of the object when the informer learned of a deletion from a
 * relist rather than a watch event: `obj` is the last state the cache saw.
 */
export class DeletedFinalStateUnknown<T extends KubeObject> {
  readonly key: string;
  readonly obj: T;

  constructor(key: string, obj: T) {
    this.key = key;
    this.obj = obj;
  }
}

/** The one place tombstones are unwrapped. */
export function objectOf<T extends KubeObject>(objOrTombstone: T | DeletedFinalStateUnknown<T>): T {
  return objOrTombstone instanceof DeletedFinalStateUnknown ? objOrTombstone.obj : objOrTombstone;
}

export function keyOf(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name ?? ""}` : (name ?? "");
}

/** Values an object is filed under in one index (e.g. its owner uids). */
export type IndexFunc<T> = (obj: T) => string[];

interface Index<T> {
  fn: IndexFunc<T>;
  entries: Map<string, Set<string>>;
}

export class CacheStore<T extends KubeObject> {
  readonly #items = new Map<string, T>();
  readonly #indexes = new Map<string, Index<T>>();

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  list(): T[] {
    return [...this.#items.values()];
  }

  keys(): string[] {
    return [...this.#items.keys()];
  }

  get size(): number {
    return this.#items.size;
  }

  /** Registers an index; existing objects are indexed at once. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.#indexes.has(name)) throw new Error(`index "${name}" already registered`);
    const index: Index<T> = { fn, entries: new Map() };
    this.#indexes.set(name, index);
    for (const [key, obj] of this.#items) this.#file(index, key, obj);
  }

  byIndex(name: string, value: string): T[] {
    const index = this.#indexes.get(name);
    if (index === undefined) throw new Error(`no index "${name}"`);
    const keys = index.entries.get(value) ?? new Set<string>();
    return [...keys].flatMap((key) => this.#items.get(key) ?? []);
  }

  /** Stores `obj` (frozen) and returns the object it replaced. */
  set(key: string, obj: T): T | undefined {
    const old = this.#items.get(key);
    for (const index of this.#indexes.values()) {
      if (old !== undefined) this.#unfile(index, key, old);
      this.#file(index, key, obj);
    }
    this.#items.set(key, deepFreeze(obj));
    return old;
  }

  delete(key: string): T | undefined {
    const old = this.#items.get(key);
    if (old === undefined) return undefined;
    for (const index of this.#indexes.values()) this.#unfile(index, key, old);
    this.#items.delete(key);
    return old;
  }

  #file(index: Index<T>, key: string, obj: T): void {
    for (const value of index.fn(obj)) {
      const keys = index.entries.get(value) ?? new Set<string>();
      keys.add(key);
      index.entries.set(value, keys);
    }
  }

  #unfile(index: Index<T>, key: string, obj: T): void {
    for (const value of index.fn(obj)) {
      const keys = index.entries.get(value);
      keys?.delete(key);
      if (keys?.size === 0) index.entries.delete(value);
    }
  }
}

function deepFreeze<V>(value: V): V {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
