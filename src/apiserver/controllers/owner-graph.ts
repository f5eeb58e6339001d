// The garbage collector's in-memory view of every object: identity, owner references, finalizers
// and deletion state, indexed by uid and by owner uid. Built from storage watch events.

import { isDeepStrictEqual } from "node:util";
import type { KubeObject, OwnerReference } from "../../api/object.ts";

export interface ObjectInfo {
  /** Storage resource key (`pods`, `widgets.example.com`). */
  resource: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
  uid: string;
  owners: readonly OwnerReference[];
  finalizers: readonly string[];
  deleting: boolean;
  /** When the current owner references were first seen (ms since epoch). */
  ownersSinceMs: number;
}

export function objectInfo(resource: string, object: KubeObject, nowMs: number): ObjectInfo {
  const meta = object.metadata;
  return {
    resource,
    namespace: meta.namespace ?? "",
    name: meta.name ?? "",
    uid: meta.uid ?? "",
    owners: (meta.ownerReferences ?? []).filter((ref) => typeof ref.uid === "string" && ref.uid !== ""),
    finalizers: meta.finalizers ?? [],
    deleting: meta.deletionTimestamp !== undefined,
    ownersSinceMs: nowMs,
  };
}

/** Namespaced owners own only dependents in their own namespace; cluster-scoped ones own any. */
export function ownerFits(owner: ObjectInfo, dependent: ObjectInfo): boolean {
  return owner.namespace === "" || owner.namespace === dependent.namespace;
}

export class OwnerGraph {
  readonly #objects = new Map<string, ObjectInfo>();
  /** owner uid → uids of objects that reference it (whether or not the owner exists). */
  readonly #dependents = new Map<string, Set<string>>();
  /** Uids seen deleted that dependents still reference: absent for sure, no grace needed. */
  readonly #gone = new Set<string>();

  get(uid: string): ObjectInfo | undefined {
    return this.#objects.get(uid);
  }

  /** Records the object's current state; keeps ownersSinceMs while its owners are unchanged. */
  upsert(info: ObjectInfo): ObjectInfo | undefined {
    const previous = this.#objects.get(info.uid);
    if (previous !== undefined && isDeepStrictEqual(previous.owners, info.owners)) {
      info.ownersSinceMs = previous.ownersSinceMs;
    }
    this.#objects.set(info.uid, info);
    this.#unlink(previous);
    for (const ref of info.owners) {
      const set = this.#dependents.get(ref.uid) ?? new Set<string>();
      set.add(info.uid);
      this.#dependents.set(ref.uid, set);
    }
    return previous;
  }

  /** Forgets a deleted object; remembers it as gone while something still references it. */
  remove(uid: string, { gone }: { gone: boolean }): ObjectInfo | undefined {
    const previous = this.#objects.get(uid);
    if (previous === undefined) return undefined;
    this.#objects.delete(uid);
    this.#unlink(previous);
    if (gone && this.#dependents.has(uid)) this.#gone.add(uid);
    return previous;
  }

  /** Forgets every object of a resource that stopped being served (not a deletion). */
  removeResource(resource: string): void {
    for (const info of [...this.#objects.values()]) {
      if (info.resource === resource) this.remove(info.uid, { gone: false });
    }
  }

  isGone(uid: string): boolean {
    return this.#gone.has(uid);
  }

  dependents(ownerUid: string): ObjectInfo[] {
    const found: ObjectInfo[] = [];
    for (const uid of this.#dependents.get(ownerUid) ?? []) {
      const info = this.#objects.get(uid);
      if (info !== undefined) found.push(info);
    }
    return found;
  }

  hasDependents(ownerUid: string): boolean {
    return (this.#dependents.get(ownerUid)?.size ?? 0) > 0;
  }

  /** Every object that has owner references or a garbage-collection finalizer, for a resync. */
  interesting(finalizers: readonly string[]): string[] {
    const uids: string[] = [];
    for (const info of this.#objects.values()) {
      if (info.owners.length > 0 || (info.deleting && info.finalizers.some((f) => finalizers.includes(f)))) {
        uids.push(info.uid);
      }
    }
    return uids;
  }

  #unlink(previous: ObjectInfo | undefined): void {
    if (previous === undefined) return;
    const current = this.#objects.get(previous.uid);
    const kept = new Set((current?.owners ?? []).map((ref) => ref.uid));
    for (const ref of previous.owners) {
      if (kept.has(ref.uid)) continue;
      const set = this.#dependents.get(ref.uid);
      if (set === undefined) continue;
      set.delete(previous.uid);
      if (set.size === 0) {
        this.#dependents.delete(ref.uid);
        this.#gone.delete(ref.uid);
      }
    }
  }
}
