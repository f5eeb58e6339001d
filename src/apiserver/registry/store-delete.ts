// DELETE: preconditions, propagation finalizers, graceful (finalizer-held) deletion or removal.

import type { KubeObject } from "../../api/object.ts";
import { ApiError, badRequest, conflict } from "../errors.ts";
import { timestamp } from "./names.ts";
import { withStorageErrors } from "./storage-errors.ts";
import { groupResource, objectKey, type Scope, type Store } from "./store.ts";

export type PropagationPolicy = "Background" | "Foreground" | "Orphan";

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export const FOREGROUND_FINALIZER = "foregroundDeletion";
export const ORPHAN_FINALIZER = "orphan";

const POLICIES: readonly string[] = ["Background", "Foreground", "Orphan"];

export function parsePropagationPolicy(value: unknown): PropagationPolicy | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !POLICIES.includes(value)) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${String(value)}": supported values: "Background", "Foreground", "Orphan"`,
    );
  }
  return value as PropagationPolicy;
}

function checkPreconditions(scope: Scope, name: string, current: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions;
  if (!pre) return;
  const gr = groupResource(scope.definition);
  if (pre.uid && pre.uid !== current.metadata.uid) {
    throw conflict(
      gr,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ""}`,
    );
  }
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      gr,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ""}`,
    );
  }
}

function policyFinalizer(policy: PropagationPolicy | undefined): string | undefined {
  if (policy === "Foreground") return FOREGROUND_FINALIZER;
  if (policy === "Orphan") return ORPHAN_FINALIZER;
  return undefined;
}

/**
 * Starts or completes deletion. Returns the object as stored afterwards (still present, with a
 * deletionTimestamp) or as it was removed, and whether it is gone.
 */
export function deleteObject(
  store: Store,
  scope: Scope,
  name: string,
  options: DeleteOptions,
): { object: KubeObject; deleted: boolean } {
  const { definition } = scope;
  const gr = groupResource(definition);
  const key = objectKey(scope, name);
  for (let attempt = 0; ; attempt++) {
    const current = withStorageErrors(gr, name, () => store.storage.get(key));
    checkPreconditions(scope, name, current, options);
    store.admit({ operation: "DELETE", definition, object: current, old: current, subresource: undefined });
    const extra = policyFinalizer(options.propagationPolicy);
    const finalizers = [...(current.metadata.finalizers ?? [])];
    if (
      extra &&
      !finalizers.includes(extra) &&
      !finalizers.includes(FOREGROUND_FINALIZER) &&
      !finalizers.includes(ORPHAN_FINALIZER)
    ) {
      finalizers.push(extra);
    }
    const next = structuredClone(current);
    next.metadata.finalizers = finalizers;
    const pending = definition.strategy.prepareForDelete?.(next) ?? false;
    if (finalizers.length === 0 && !pending) {
      if (options.dryRun) return { object: current, deleted: true };
      try {
        const removed = withStorageErrors(gr, name, () =>
          store.storage.delete(key, (latest) => {
            if (latest.metadata.resourceVersion !== current.metadata.resourceVersion) {
              throw conflict(gr, name, "the object changed while it was being deleted");
            }
          }),
        );
        return { object: removed, deleted: true };
      } catch (error) {
        if (error instanceof ApiError && error.code === 409 && attempt < 5) continue;
        throw error;
      }
    }
    if (finalizers.length === 0) delete next.metadata.finalizers;
    if (current.metadata.deletionTimestamp) {
      if (finalizers.length === (current.metadata.finalizers ?? []).length)
        return { object: current, deleted: false };
    } else {
      next.metadata.deletionTimestamp = timestamp(store.now());
      next.metadata.deletionGracePeriodSeconds = 0;
    }
    if (options.dryRun) return { object: next, deleted: false };
    try {
      const updated = withStorageErrors(gr, name, () =>
        store.storage.guaranteedUpdate(key, (latest) => {
          if (latest.metadata.resourceVersion !== current.metadata.resourceVersion) {
            throw conflict(gr, name, "the object changed while it was being deleted");
          }
          return next;
        }),
      );
      return { object: updated, deleted: false };
    } catch (error) {
      if (error instanceof ApiError && error.code === 409 && attempt < 5) continue;
      throw error;
    }
  }
}
