// The node lifecycle controller's rules, as kube-controller-manager's node lifecycle controller
// applies them, as pure functions of a Node, its Lease in kube-node-lease and the time:
//   health      a node was last heard from at the newest of its Lease's renewTime and its Ready
//               condition's lastHeartbeatTime (never earlier than when the controller started
//               watching, so a restarted `mob up` gives every node a full grace period, as upstream
//               does for nodes it has not seen before). Silent for longer than the grace period
//               (the startup grace period while it has never posted Ready), every condition the
//               kubelet owns turns Unknown: reason NodeStatusUnknown, lastHeartbeatTime kept,
//               lastTransitionTime now; a condition it never posted is added as NodeStatusNeverUpdated.
//   taints      follow the Ready condition: Unknown → node.kubernetes.io/unreachable, False →
//               node.kubernetes.io/not-ready, each NoSchedule and NoExecute (timeAdded on NoExecute);
//               True removes them. Only the kubelet sets Ready back to True.
// Upstream compares the times at which it observed heartbeats change, to be immune to clock skew;
// embedded mode has one clock, so the timestamps are compared directly.

import type { KubeObject } from "../api/object.ts";
import { at, list, record, text } from "../apiserver/registry/builtin/object-fields.ts";
import { timestamp } from "../apiserver/registry/names.ts";

/** `--node-monitor-grace-period` of Kubernetes 1.32 (40 s before 1.32). */
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
/** `--node-startup-grace-period`: allowed silence of a node that has never posted Ready. */
export const DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS = 60_000;

export const UNREACHABLE_TAINT_KEY = "node.kubernetes.io/unreachable";
export const NOT_READY_TAINT_KEY = "node.kubernetes.io/not-ready";
export const NODE_STATUS_UNKNOWN = {
  reason: "NodeStatusUnknown",
  message: "Kubelet stopped posting node status.",
} as const;
export const NODE_STATUS_NEVER_UPDATED = {
  reason: "NodeStatusNeverUpdated",
  message: "Kubelet never posted node status.",
} as const;

/** The conditions the kubelet owns (NetworkUnavailable belongs to the network plugin: left alone). */
const KUBELET_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] as const;
const MANAGED_TAINT_KEYS = [UNREACHABLE_TAINT_KEY, NOT_READY_TAINT_KEY];
const EFFECTS = ["NoSchedule", "NoExecute"] as const;

export interface NodeLifecycleTimings {
  gracePeriodMs: number;
  startupGracePeriodMs: number;
}

export interface Taint {
  key: string;
  effect: string;
  value?: string;
  timeAdded?: string;
}

export interface NodeAssessment {
  /** The new status.conditions, when they change. */
  conditions?: unknown[];
  /** The new spec.taints, when they change. */
  taints?: Taint[];
  /** When the node would be overdue if it stays silent (undefined: nothing left to time). */
  recheckInMs?: number;
}

const millis = (value: unknown): number => Date.parse(text(value) ?? "");

function readyCondition(node: KubeObject): Record<string, unknown> | undefined {
  return list(at(node, "status", "conditions"))
    .map(record)
    .find((c) => c?.type === "Ready");
}

/** status of the Ready condition (undefined when the kubelet never posted one). */
export function readyStatus(node: KubeObject): unknown {
  return readyCondition(node)?.status;
}

/** When the node was last heard from, and how long it may stay silent after that. */
export function lastHeard(
  node: KubeObject,
  lease: KubeObject | undefined,
  watchingSinceMs: number,
  timings: NodeLifecycleTimings,
): { atMs: number; graceMs: number } {
  const ready = readyCondition(node);
  const candidates = [
    watchingSinceMs,
    millis(at(lease, "spec", "renewTime")),
    ready === undefined ? millis(node.metadata.creationTimestamp) : millis(ready.lastHeartbeatTime),
  ].filter((ms) => Number.isFinite(ms));
  return {
    atMs: Math.max(...candidates),
    graceMs: ready === undefined ? timings.startupGracePeriodMs : timings.gracePeriodMs,
  };
}

/** Every kubelet condition Unknown, as the controller leaves a node that stopped posting status. */
export function unknownConditions(node: KubeObject, now: Date): unknown[] {
  const conditions = list(at(node, "status", "conditions")).map((c) => structuredClone(c));
  for (const type of KUBELET_CONDITIONS) {
    const existing = conditions.map(record).find((c) => c?.type === type);
    if (existing === undefined) {
      conditions.push({
        type,
        status: "Unknown",
        lastHeartbeatTime: node.metadata.creationTimestamp ?? timestamp(now),
        lastTransitionTime: timestamp(now),
        ...NODE_STATUS_NEVER_UPDATED,
      });
    } else if (existing.status !== "Unknown") {
      Object.assign(existing, {
        status: "Unknown",
        ...NODE_STATUS_UNKNOWN,
        lastTransitionTime: timestamp(now),
      });
    }
  }
  return conditions;
}

function wantedTaintKey(readyStatus: unknown): string | undefined {
  if (readyStatus === "Unknown") return UNREACHABLE_TAINT_KEY;
  if (readyStatus === "False") return NOT_READY_TAINT_KEY;
  return undefined;
}

/**
 * spec.taints with the lifecycle taints matching `readyStatus`; undefined when they already do.
 * Other taints, and a wanted taint already there (with its timeAdded), are kept as they are.
 */
export function taintsFor(node: KubeObject, readyStatus: unknown, now: Date): Taint[] | undefined {
  if (readyStatus === undefined) return undefined;
  const current = list(at(node, "spec", "taints")) as Taint[];
  const wanted = wantedTaintKey(readyStatus);
  const kept = current.filter((t) => !MANAGED_TAINT_KEYS.includes(t.key) || t.key === wanted);
  const added: Taint[] = [];
  if (wanted !== undefined) {
    for (const effect of EFFECTS) {
      if (kept.some((t) => t.key === wanted && t.effect === effect)) continue;
      added.push(
        effect === "NoExecute" ? { key: wanted, effect, timeAdded: timestamp(now) } : { key: wanted, effect },
      );
    }
  }
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

/** What the controller writes for this node now, and when to look at it again. */
export function assessNode(
  node: KubeObject,
  lease: KubeObject | undefined,
  nowMs: number,
  watchingSinceMs: number,
  timings: NodeLifecycleTimings,
): NodeAssessment {
  const now = new Date(nowMs);
  const heard = lastHeard(node, lease, watchingSinceMs, timings);
  const overdueInMs = heard.atMs + heard.graceMs - nowMs;
  const conditions = overdueInMs < 0 ? unknownConditions(node, now) : undefined;
  const changed =
    conditions !== undefined &&
    JSON.stringify(conditions) !== JSON.stringify(list(at(node, "status", "conditions")));
  const taints = taintsFor(node, changed ? "Unknown" : readyStatus(node), now);
  return {
    ...(changed ? { conditions } : {}),
    ...(taints !== undefined ? { taints } : {}),
    ...(overdueInMs >= 0 ? { recheckInMs: overdueInMs + 1 } : {}),
  };
}
