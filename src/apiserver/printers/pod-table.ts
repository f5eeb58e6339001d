// `kubectl get pods` as printers.go printPod computes it: readiness, the aggregate status
// (init containers, waiting/terminated reasons, Terminating) and restarts with the last restart's age.

import type { KubeObject } from "../../api/object.ts";
import { age, humanDuration } from "./human-duration.ts";
import {
  AGE_COLUMN,
  at,
  column,
  conditionTrue,
  instant,
  integer,
  list,
  NAME_COLUMN,
  table,
  text,
  wide,
} from "./table-columns.ts";

interface Restarts {
  count: number;
  /** Latest lastState.terminated.finishedAt, ms since the epoch. */
  last: number | undefined;
}

function addRestarts(restarts: Restarts, status: unknown): void {
  restarts.count += integer(at(status, "restartCount"));
  const finished = instant(at(status, "lastState", "terminated", "finishedAt"));
  if (finished !== undefined && (restarts.last === undefined || finished > restarts.last))
    restarts.last = finished;
}

function terminatedReason(terminated: unknown, prefix: string): string {
  const reason = text(at(terminated, "reason"));
  if (reason !== "") return prefix + reason;
  const signal = integer(at(terminated, "signal"));
  return signal !== 0
    ? `${prefix}Signal:${signal}`
    : `${prefix}ExitCode:${integer(at(terminated, "exitCode"))}`;
}

interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: Restarts;
}

/**
 * Walks init containers up to the first unfinished one, returning its Init:… reason (if any) and
 * the restarts of the sidecars (restartable init containers) seen on the way.
 */
function walkInitContainers(
  pod: KubeObject,
  summary: PodSummary,
  restartable: ReadonlySet<string>,
): { reason: string | undefined; sidecarRestarts: Restarts } {
  const statuses = list(at(pod, "status", "initContainerStatuses"));
  const declared = list(at(pod, "spec", "initContainers")).length;
  const sidecarRestarts: Restarts = { count: 0, last: undefined };
  for (const [i, status] of statuses.entries()) {
    addRestarts(summary.restarts, status);
    const isSidecar = restartable.has(text(at(status, "name")));
    if (isSidecar) addRestarts(sidecarRestarts, status);
    const terminated = at(status, "state", "terminated");
    const waitingReason = text(at(status, "state", "waiting", "reason"));
    if (terminated !== undefined && integer(at(terminated, "exitCode")) === 0) continue;
    if (isSidecar && at(status, "started") === true) {
      if (at(status, "ready") === true) summary.ready++;
      continue;
    }
    let reason = `Init:${i}/${declared}`;
    if (terminated !== undefined) reason = terminatedReason(terminated, "Init:");
    else if (waitingReason !== "" && waitingReason !== "PodInitializing") reason = `Init:${waitingReason}`;
    return { reason, sidecarRestarts };
  }
  return { reason: undefined, sidecarRestarts };
}

function containerStatusReason(pod: KubeObject, summary: PodSummary): void {
  let hasRunning = false;
  const statuses = list(at(pod, "status", "containerStatuses"));
  // Last to first, so the first container's reason wins, as in printers.go.
  for (const status of [...statuses].reverse()) {
    addRestarts(summary.restarts, status);
    const waitingReason = text(at(status, "state", "waiting", "reason"));
    const terminated = at(status, "state", "terminated");
    if (waitingReason !== "") summary.reason = waitingReason;
    else if (terminated !== undefined) summary.reason = terminatedReason(terminated, "");
    else if (at(status, "ready") === true && at(status, "state", "running") !== undefined) {
      hasRunning = true;
      summary.ready++;
    }
  }
  if (summary.reason === "Completed" && hasRunning) {
    summary.reason = conditionTrue(at(pod, "status", "conditions"), "Ready") ? "Running" : "NotReady";
  }
}

/** Ready count, total, aggregate status and restarts of a Pod, as `kubectl get pods` shows them. */
export function summarizePod(pod: KubeObject): PodSummary {
  const phase = text(at(pod, "status", "phase"));
  const statusReason = text(at(pod, "status", "reason"));
  const conditions = at(pod, "status", "conditions");
  const initContainers = list(at(pod, "spec", "initContainers"));
  const restartable = new Set(
    initContainers.filter((c) => at(c, "restartPolicy") === "Always").map((c) => text(at(c, "name"))),
  );
  const summary: PodSummary = {
    ready: 0,
    total: list(at(pod, "spec", "containers")).length + restartable.size,
    reason: statusReason || phase,
    restarts: { count: 0, last: undefined },
  };
  if (
    list(conditions).some((c) => at(c, "type") === "PodScheduled" && at(c, "reason") === "SchedulingGated")
  ) {
    summary.reason = "SchedulingGated";
  }
  const init = walkInitContainers(pod, summary, restartable);
  if (init.reason !== undefined) summary.reason = init.reason;
  if (init.reason === undefined || conditionTrue(conditions, "Initialized")) {
    // Past initialization only sidecars' restarts count alongside the main containers'.
    summary.restarts = init.sidecarRestarts;
    containerStatusReason(pod, summary);
  }
  const deleting = pod.metadata.deletionTimestamp !== undefined;
  if (deleting && statusReason === "NodeLost") summary.reason = "Unknown";
  else if (deleting && phase !== "Succeeded" && phase !== "Failed") summary.reason = "Terminating";
  return summary;
}

function restartsCell(restarts: Restarts, now: Date): string {
  if (restarts.count === 0 || restarts.last === undefined) return String(restarts.count);
  return `${restarts.count} (${humanDuration(now.getTime() - restarts.last)} ago)`;
}

function readinessGates(pod: KubeObject): string {
  const gates = list(at(pod, "spec", "readinessGates"));
  if (gates.length === 0) return "<none>";
  const conditions = at(pod, "status", "conditions");
  const passing = gates.filter((gate) => conditionTrue(conditions, text(at(gate, "conditionType")))).length;
  return `${passing}/${gates.length}`;
}

export const POD_TABLE = table(
  [
    NAME_COLUMN,
    column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
    column("Status", "The aggregate status of the containers in this pod."),
    column(
      "Restarts",
      "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    AGE_COLUMN,
    wide("IP", "IP address allocated to the pod. Routable at least within the cluster."),
    wide("Node", "NodeName indicates in which node this pod is scheduled."),
    wide("Nominated Node", "The node the scheduler nominated for this pod while it preempts others."),
    wide(
      "Readiness Gates",
      "Readiness gates whose conditions are True, out of all the pod's readiness gates.",
    ),
  ],
  (pod, now) => {
    const summary = summarizePod(pod);
    const ip = text(at(list(at(pod, "status", "podIPs"))[0], "ip")) || text(at(pod, "status", "podIP"));
    return [
      pod.metadata.name ?? "",
      `${summary.ready}/${summary.total}`,
      summary.reason,
      restartsCell(summary.restarts, now),
      age(pod.metadata.creationTimestamp, now),
      ip || "<none>",
      text(at(pod, "spec", "nodeName")) || "<none>",
      text(at(pod, "status", "nominatedNodeName")) || "<none>",
      readinessGates(pod),
    ];
  },
);
