// What the garbage collector does for one object, given the owner graph (after Kubernetes'
// attemptToDeleteItem, processDeletingDependentsItem and orphanDependents). Level-based: it looks
// at the object's current state in the graph, never at the event that queued it.

import type { Logger } from "pino";
import type { KubeObject, OwnerReference } from "../../api/object.ts";
import { isApiError } from "../registry/storage-errors.ts";
import type { Scope, Store } from "../registry/store.ts";
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type PropagationPolicy } from "../registry/store-delete.ts";
import { storageVersionOf } from "../registry/versions.ts";
import { type ObjectInfo, type OwnerGraph, ownerFits } from "./owner-graph.ts";
import type { ProcessResult } from "./work-queue.ts";

export interface GcContext {
  store: Store;
  graph: OwnerGraph;
  enqueue(uid: string): void;
  nowMs(): number;
  /** How long an owner that was never seen may be missing before its dependents count as dangling. */
  danglingGraceMs: number;
  logger: Logger | undefined;
}

interface Classified {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  /** Owners being deleted in the foreground: they wait for this dependent. */
  waiting: OwnerReference[];
  /** > 0 while some owner is missing but might still appear. */
  recheckMs: number;
}

export function processObject(ctx: GcContext, uid: string): ProcessResult | undefined {
  const item = ctx.graph.get(uid);
  if (item === undefined) return undefined;
  if (item.deleting) {
    if (item.finalizers.includes(ORPHAN_FINALIZER)) orphanDependents(ctx, item);
    else if (item.finalizers.includes(FOREGROUND_FINALIZER)) processDeletingDependents(ctx, item);
    return undefined;
  }
  if (item.owners.length === 0) return undefined;
  const { solid, dangling, waiting, recheckMs } = classify(ctx, item);
  if (recheckMs > 0) return { requeueAfterMs: recheckMs };
  if (solid.length > 0) {
    const stale = [...dangling, ...waiting].map((ref) => ref.uid);
    if (stale.length > 0) removeOwnerReferences(ctx, item, stale);
    return undefined;
  }
  const policy: PropagationPolicy =
    waiting.length > 0 && ctx.graph.hasDependents(item.uid) ? "Foreground" : "Background";
  deleteObject(ctx, item, policy);
  return undefined;
}

function classify(ctx: GcContext, item: ObjectInfo): Classified {
  const result: Classified = { solid: [], dangling: [], waiting: [], recheckMs: 0 };
  for (const ref of item.owners) {
    const owner = ctx.graph.get(ref.uid);
    if (owner !== undefined && ownerFits(owner, item)) {
      const foreground = owner.deleting && owner.finalizers.includes(FOREGROUND_FINALIZER);
      (foreground ? result.waiting : result.solid).push(ref);
    } else if (owner !== undefined || ctx.graph.isGone(ref.uid)) {
      result.dangling.push(ref);
    } else {
      const wait = item.ownersSinceMs + ctx.danglingGraceMs - ctx.nowMs();
      if (wait > 0) result.recheckMs = Math.max(result.recheckMs, wait);
      else result.dangling.push(ref);
    }
  }
  return result;
}

/** Foreground deletion: delete the dependents; drop the finalizer once none blocks any more. */
function processDeletingDependents(ctx: GcContext, owner: ObjectInfo): void {
  const dependents = ctx.graph.dependents(owner.uid).filter((d) => ownerFits(owner, d));
  const blocking = dependents.filter((d) =>
    d.owners.some((r) => r.uid === owner.uid && r.blockOwnerDeletion === true),
  );
  if (blocking.length === 0) {
    removeFinalizer(ctx, owner, FOREGROUND_FINALIZER);
    return;
  }
  for (const dependent of dependents) ctx.enqueue(dependent.uid);
}

/** Orphan deletion: strip the references to the owner from every dependent, then the finalizer. */
function orphanDependents(ctx: GcContext, owner: ObjectInfo): void {
  for (const dependent of ctx.graph.dependents(owner.uid)) removeOwnerReferences(ctx, dependent, [owner.uid]);
  removeFinalizer(ctx, owner, ORPHAN_FINALIZER);
}

function scopeOf(ctx: GcContext, item: ObjectInfo): Scope | undefined {
  const definition = ctx.store.catalog.get(item.resource);
  if (definition === undefined) return undefined;
  return { definition, version: storageVersionOf(definition), namespace: item.namespace };
}

/**
 * A read-modify-write of the object if it still has the uid the graph knows; a vanished object is
 * fine (there is nothing left to change).
 */
function modify(ctx: GcContext, item: ObjectInfo, change: (object: KubeObject) => void): void {
  const scope = scopeOf(ctx, item);
  if (scope === undefined) return;
  try {
    ctx.store.write(scope, item.name, undefined, (current) => {
      const next = structuredClone(current);
      if (current.metadata.uid === item.uid) change(next);
      return next;
    });
  } catch (error) {
    if (!isApiError(error, 404)) throw error;
  }
}

function removeOwnerReferences(ctx: GcContext, item: ObjectInfo, uids: readonly string[]): void {
  ctx.logger?.debug({ object: describe(item), owners: uids }, "removing owner references");
  modify(ctx, item, (object) => {
    const kept = (object.metadata.ownerReferences ?? []).filter((ref) => !uids.includes(ref.uid));
    if (kept.length > 0) object.metadata.ownerReferences = kept;
    else delete object.metadata.ownerReferences;
  });
}

function removeFinalizer(ctx: GcContext, item: ObjectInfo, finalizer: string): void {
  ctx.logger?.debug({ object: describe(item), finalizer }, "removing finalizer");
  modify(ctx, item, (object) => {
    const kept = (object.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (kept.length > 0) object.metadata.finalizers = kept;
    else delete object.metadata.finalizers;
  });
}

function deleteObject(ctx: GcContext, item: ObjectInfo, propagationPolicy: PropagationPolicy): void {
  const scope = scopeOf(ctx, item);
  if (scope === undefined) return;
  ctx.logger?.debug({ object: describe(item), propagationPolicy }, "deleting dependent");
  try {
    ctx.store.delete(scope, item.name, { propagationPolicy, preconditions: { uid: item.uid } });
  } catch (error) {
    // A 409 (the name now holds another object) is retried: by then the graph no longer has this uid.
    if (!isApiError(error, 404)) throw error;
  }
}

function describe(item: ObjectInfo): string {
  return `${item.resource}/${item.namespace === "" ? "" : `${item.namespace}/`}${item.name}`;
}
