// PodDisruptionBudget arithmetic, after the disruption controller: which pods a budget covers,
// which of them are healthy, and how many may be disrupted now. mob has no disruption controller,
// so eviction computes this from the live pods instead of reading a maintained status.

import { isPlainObject, type KubeObject } from "../../api/object.ts";
import {
  type LabelSelectorObject,
  labelSelectorFromObject,
  matchesLabels,
} from "../selectors/label-selector.ts";
import { conditionStatus, phase } from "./pod-fields.ts";

export interface BudgetStatus {
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
}

function spec(pdb: KubeObject): Record<string, unknown> {
  return isPlainObject(pdb.spec) ? pdb.spec : {};
}

/** policy/v1: a null selector selects nothing; an empty one selects every pod. */
export function budgetCovers(pdb: KubeObject, pod: KubeObject): boolean {
  const selector = spec(pdb).selector;
  if (!isPlainObject(selector)) return false;
  return matchesLabels(labelSelectorFromObject(selector as LabelSelectorObject), pod.metadata.labels);
}

/** Running, not being deleted, and Ready (or without a Ready condition, when no kubelet reports one). */
export function isHealthy(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp !== undefined || phase(pod) !== "Running") return false;
  return (conditionStatus(pod, "Ready") ?? "True") === "True";
}

/** IntOrString scaled against `total`, rounding percentages up (GetScaledValueFromIntOrPercent). */
export function scaled(value: unknown, total: number): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+%$/.test(value))
    return Math.ceil((Number.parseInt(value, 10) * total) / 100);
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** The budget's status given the pods it covers. */
export function budgetStatus(pdb: KubeObject, covered: readonly KubeObject[]): BudgetStatus {
  const { minAvailable, maxUnavailable } = spec(pdb);
  const currentHealthy = covered.filter(isHealthy).length;
  let expectedPods = 0;
  let desiredHealthy = 0;
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    expectedPods = covered.length;
    desiredHealthy = Math.max(0, expectedPods - (scaled(maxUnavailable, expectedPods) ?? 0));
  } else if (minAvailable !== undefined && minAvailable !== null) {
    expectedPods = covered.length;
    desiredHealthy = scaled(minAvailable, expectedPods) ?? 0;
  }
  return {
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
    currentHealthy,
    desiredHealthy,
    expectedPods,
  };
}

/** Whether an unhealthy pod may be evicted without spending a disruption (unhealthyPodEvictionPolicy). */
export function unhealthyMayGo(pdb: KubeObject, status: BudgetStatus): boolean {
  if (spec(pdb).unhealthyPodEvictionPolicy === "AlwaysAllow") return true;
  return status.currentHealthy >= status.desiredHealthy;
}
