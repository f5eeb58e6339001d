// A MachineOSBuild's state and the Job → state mapping, exactly as upstream (§5): every status write
// sets all five condition types with at most one True; terminal states are frozen; a few
// transitions are ignored. Pure: no clock, no I/O (golden table in build-state.test.ts).

import { BuildConditionTexts, type BuildConditionType, BuildConditionTypes } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { KubeObject } from "../../api/object.ts";

export type BuildState = "Initial" | BuildConditionType;
export type BuildPhase = "Initial" | "Transient" | "Terminal";

export type BuildCondition = NonNullable<NonNullable<MachineOSBuild["status"]>["conditions"]>[number];

const TYPES = [
  BuildConditionTypes.Prepared,
  BuildConditionTypes.Building,
  BuildConditionTypes.Failed,
  BuildConditionTypes.Interrupted,
  BuildConditionTypes.Succeeded,
] as const;

export function phaseOf(state: BuildState): BuildPhase {
  if (state === "Initial") return "Initial";
  return state === "Prepared" || state === "Building" ? "Transient" : "Terminal";
}

/** The state the conditions show: the True one, or Initial when none is True. */
export function buildStateOf(mosb: Pick<MachineOSBuild, "status">): BuildState {
  const conditions = mosb.status?.conditions ?? [];
  const found = TYPES.find((type) => conditions.some((c) => c.type === type && c.status === "True"));
  return found ?? "Initial";
}

export const isTerminal = (state: BuildState): boolean => phaseOf(state) === "Terminal";

interface JobCounts {
  active: number;
  succeeded: number;
  failed: number;
  uncounted: number;
  complete: boolean;
  failedCondition: boolean;
  anyCondition: boolean;
  deleting: boolean;
  /** Pod failures that fail the Job: backoffLimit + 1 (4 by default). */
  failureLimit: number;
}

function countsOf(job: KubeObject): JobCounts {
  const status = (job.status ?? {}) as Record<string, unknown>;
  const num = (value: unknown): number => (typeof value === "number" ? value : 0);
  const uncounted = (status.uncountedTerminatedPods ?? {}) as Record<string, unknown>;
  const uncountedPods = [uncounted.succeeded, uncounted.failed].reduce<number>(
    (sum, pods) => sum + (Array.isArray(pods) ? pods.length : 0),
    0,
  );
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Record<string, unknown>[]) : [];
  const isTrue = (type: string): boolean => conditions.some((c) => c.type === type && c.status === "True");
  const spec = (job.spec ?? {}) as Record<string, unknown>;
  const backoffLimit = typeof spec.backoffLimit === "number" ? spec.backoffLimit : 6;
  return {
    active: num(status.active),
    succeeded: num(status.succeeded),
    failed: num(status.failed),
    uncounted: uncountedPods,
    complete: isTrue("Complete"),
    failedCondition: isTrue("Failed"),
    anyCondition: conditions.length > 0,
    deleting: job.metadata.deletionTimestamp !== undefined,
    failureLimit: backoffLimit + 1,
  };
}

/** Upstream's mapping; the first rule that matches wins. */
export function buildStateFromJob(job: KubeObject): BuildState {
  const c = countsOf(job);
  if (c.deleting && c.succeeded === 0 && c.failed < c.failureLimit) return "Interrupted";
  if (c.active === 0 && c.succeeded === 0 && c.failed === 0 && c.uncounted === 0) return "Prepared";
  if (c.failed < c.failureLimit && c.succeeded === 0) return "Building";
  if (c.succeeded > 0) {
    if (!c.anyCondition || c.complete) return "Succeeded";
    if (c.failedCondition) return "Failed";
    return "Building";
  }
  return "Failed";
}

/** Whether a status write may move the build from `from` to `to`. */
export function transitionAllowed(from: BuildState, to: BuildState): boolean {
  if (from === to || to === "Initial") return false;
  const phase = phaseOf(from);
  if (phase === "Terminal") return false;
  if (from === "Building" && to === "Prepared") return false;
  return true;
}

/** The five conditions for `state`; a condition whose status does not change keeps its time. */
export function conditionsFor(
  state: BuildState,
  previous: readonly BuildCondition[] | undefined,
  now: string,
  failedMessage?: string,
): BuildCondition[] {
  return TYPES.map((type) => {
    const status = type === state ? "True" : "False";
    const old = previous?.find((c) => c.type === type);
    const text = BuildConditionTexts[type];
    const message = type === "Failed" && status === "True" && failedMessage ? failedMessage : text.message;
    return {
      type,
      status,
      reason: text.reason,
      message,
      lastTransitionTime: old !== undefined && old.status === status ? old.lastTransitionTime : now,
    };
  });
}
