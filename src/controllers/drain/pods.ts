// Which pods a drain evicts, and what a refused eviction says about the budget that refused it.

import type { KubeObject } from "../../api/object.ts";
import { ApiStatusError } from "../../runtime/errors.ts";
import { MIRROR_POD_ANNOTATION } from "./constants.ts";

/** DaemonSet pods come straight back (and tolerate unschedulable); mirror pods are the kubelet's. */
export function isEvictable(pod: KubeObject): boolean {
  if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return false;
  const owners = pod.metadata.ownerReferences ?? [];
  return !owners.some((owner) => owner.controller === true && owner.kind === "DaemonSet");
}

export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""}`;
}

/** The PodDisruptionBudget named by a 429 from pods/eviction, when the server named one. */
export function blockingBudget(error: unknown): string | undefined {
  if (!(error instanceof ApiStatusError)) return undefined;
  const causes = error.details?.causes;
  const texts = Array.isArray(causes)
    ? causes.map((cause: unknown) =>
        typeof cause === "object" && cause !== null && "message" in cause ? String(cause.message) : "",
      )
    : [];
  for (const text of [...texts, error.message]) {
    const name = /disruption budget (\S+)/i.exec(text)?.[1];
    if (name !== undefined) return name;
  }
  return undefined;
}

/** The pod's budget from the workload's point of view: 429 Too Many Requests. */
export function isTooManyRequests(error: unknown): boolean {
  return error instanceof ApiStatusError && error.code === 429;
}
