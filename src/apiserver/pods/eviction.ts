// POST pods/<name>/eviction: delete a pod unless that would violate its PodDisruptionBudget.

import type { KubeObject } from "../../api/object.ts";
import { internalError, tooManyRequests } from "../errors.ts";
import type { SubresourceCall, SubresourceHandler } from "../http/handlers.ts";
import { successStatus, writeJson } from "../http/respond.ts";
import { resourceKey } from "../registry/resource.ts";
import type { Scope, Store } from "../registry/store.ts";
import type { DeleteOptions } from "../registry/store-delete.ts";
import { storageVersionOf } from "../registry/versions.ts";
import {
  type BudgetStatus,
  budgetCovers,
  budgetStatus,
  isHealthy,
  unhealthyMayGo,
} from "./disruption-budget.ts";
import { parseEvictionDeleteOptions } from "./eviction-options.ts";
import { phase } from "./pod-fields.ts";
import { readSubresourceBody, requirePost } from "./subresource-call.ts";

const PDB_RESOURCE = "poddisruptionbudgets.policy";
const EVICTION_VERSIONS = ["policy/v1", "policy/v1beta1"];
/** Pods that hold no disruption budget: not running yet, or finished. */
const IGNORES_BUDGET = new Set(["Pending", "Succeeded", "Failed"]);

function budgetScope(store: Store, namespace: string): Scope | undefined {
  const definition = store.catalog.get(PDB_RESOURCE);
  return definition && { definition, version: storageVersionOf(definition), namespace };
}

/** Writes the status a budget has now (plus the eviction's own disruption); failures are ignored. */
function recordStatus(store: Store, scope: Scope, pdb: KubeObject, status: BudgetStatus): void {
  try {
    store.write(
      scope,
      pdb.metadata.name ?? "",
      undefined,
      (current) => {
        const previous = typeof current.status === "object" && current.status !== null ? current.status : {};
        return {
          ...current,
          status: { ...previous, ...status, observedGeneration: current.metadata.generation ?? 1 },
        };
      },
      { subresource: "status" },
    );
  } catch {
    // Best effort: the status only informs `kubectl get pdb`; the decision is already made.
  }
}

/** Throws 429 when the pod's budget allows no disruption now; spends one otherwise. */
function checkBudget(store: Store, podResource: string, pod: KubeObject, dryRun: boolean): void {
  const namespace = pod.metadata.namespace ?? "";
  const scope = budgetScope(store, namespace);
  if (scope === undefined) return;
  const budgets = store.storage
    .list(resourceKey(scope.definition), { namespace })
    .items.filter((pdb) => budgetCovers(pdb, pod));
  const [pdb, ...more] = budgets;
  if (pdb === undefined) return;
  if (more.length > 0) {
    throw internalError(
      "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
    );
  }
  const pods = store.storage.list(podResource, { namespace }).items.filter((p) => budgetCovers(pdb, p));
  const status = budgetStatus(pdb, pods);
  if (!isHealthy(pod) && unhealthyMayGo(pdb, status)) return;
  if (status.disruptionsAllowed <= 0) {
    if (!dryRun) recordStatus(store, scope, pdb, status);
    throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", {
      causes: [
        {
          reason: "DisruptionBudget",
          message: `The disruption budget ${pdb.metadata.name ?? ""} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
        },
      ],
    });
  }
  if (!dryRun)
    recordStatus(store, scope, pdb, { ...status, disruptionsAllowed: status.disruptionsAllowed - 1 });
}

async function evict(call: SubresourceCall): Promise<void> {
  requirePost(call);
  const eviction = await readSubresourceBody(call, "Eviction", EVICTION_VERSIONS);
  const name = eviction.metadata.name ?? "";
  const options: DeleteOptions = parseEvictionDeleteOptions(eviction.deleteOptions);
  const pod = call.store.get(call.scope, name);
  if (pod.metadata.deletionTimestamp === undefined) {
    if (!IGNORES_BUDGET.has(phase(pod)))
      checkBudget(call.store, resourceKey(call.definition), pod, options.dryRun ?? false);
    const uid = pod.metadata.uid;
    const preconditions = { ...(uid === undefined ? {} : { uid }), ...options.preconditions };
    call.store.delete(call.scope, name, { ...options, preconditions });
  }
  writeJson(call.res, 201, successStatus(201));
}

export const evictionHandler: SubresourceHandler = evict;
