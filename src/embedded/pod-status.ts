// The kubelet's view of a pod's containers and the v1.PodStatus rendered from it (pure): phase,
// conditions with Kubernetes' reasons and messages, init and regular container statuses.

import type { KubeObject } from "../api/object.ts";
import { list, record } from "../apiserver/registry/builtin/object-fields.ts";
import { POD_IP } from "./downward.ts";

type Fields = Record<string, unknown>;

export interface Terminated {
  exitCode: number;
  reason: string;
  startedAt: string;
  finishedAt: string;
  message?: string;
  pid?: number;
}

export type ContainerState =
  | { kind: "waiting"; reason: string; message?: string }
  | { kind: "running"; startedAt: string; pid: number }
  | ({ kind: "terminated" } & Terminated);

export interface ContainerRecord {
  name: string;
  image: string;
  state: ContainerState;
  lastState: Terminated | undefined;
  restartCount: number;
  /** Whether a process was started at least once (containerID known). */
  pid: number | undefined;
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed";

export interface PodRecord {
  phase: PodPhase;
  startTime: string;
  /** Volumes are in place (the "sandbox" of PodReadyToStartContainers). */
  sandboxReady: boolean;
  init: ContainerRecord[];
  containers: ContainerRecord[];
  reason?: string;
  message?: string;
}

export function newContainerRecord(container: Fields, reason: string): ContainerRecord {
  return {
    name: String(container.name ?? ""),
    image: String(container.image ?? ""),
    state: { kind: "waiting", reason },
    lastState: undefined,
    restartCount: 0,
    pid: undefined,
  };
}

function terminatedFields(t: Terminated): Fields {
  return {
    exitCode: t.exitCode,
    reason: t.reason,
    ...(t.message === undefined || t.message === "" ? {} : { message: t.message }),
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    ...(t.pid === undefined ? {} : { containerID: `mob://${t.pid}` }),
  };
}

function stateFields(state: ContainerState): Fields {
  switch (state.kind) {
    case "waiting":
      return {
        waiting: { reason: state.reason, ...(state.message === undefined ? {} : { message: state.message }) },
      };
    case "running":
      return { running: { startedAt: state.startedAt } };
    case "terminated": {
      const { kind: _kind, ...terminated } = state;
      return { terminated: terminatedFields(terminated) };
    }
  }
}

function containerStatus(record: ContainerRecord): Fields {
  const running = record.state.kind === "running";
  return {
    name: record.name,
    state: stateFields(record.state),
    lastState: record.lastState === undefined ? {} : { terminated: terminatedFields(record.lastState) },
    ready: running,
    restartCount: record.restartCount,
    image: record.image,
    imageID: "",
    ...(record.pid === undefined ? {} : { containerID: `mob://${record.pid}` }),
    started: running,
  };
}

function initialized(record: ContainerRecord): boolean {
  return record.state.kind === "terminated" && record.state.exitCode === 0;
}

type ConditionSpec = { status: "True" | "False"; reason?: string; message?: string };

function podConditions(pod: PodRecord): Record<string, ConditionSpec> {
  const terminal = pod.phase === "Succeeded" || pod.phase === "Failed";
  const completed = pod.phase === "Succeeded" ? { reason: "PodCompleted" } : {};
  const pendingInit = pod.init.filter((c) => !initialized(c)).map((c) => c.name);
  const unready = pod.containers.filter((c) => c.state.kind !== "running").map((c) => c.name);
  const initDone: ConditionSpec =
    pendingInit.length === 0
      ? { status: "True", ...completed }
      : {
          status: "False",
          reason: "ContainersNotInitialized",
          message: `containers with incomplete status: [${pendingInit.join(" ")}]`,
        };
  const ready: ConditionSpec =
    unready.length === 0
      ? { status: "True" }
      : pod.phase === "Succeeded"
        ? { status: "False", reason: "PodCompleted" }
        : {
            status: "False",
            reason: "ContainersNotReady",
            message: `containers with unready status: [${unready.join(" ")}]`,
          };
  return {
    PodReadyToStartContainers: { status: pod.sandboxReady && !terminal ? "True" : "False" },
    Initialized: initDone,
    Ready: ready,
    ContainersReady: ready,
  };
}

/** Conditions in Kubernetes' order; a condition whose status does not change keeps its times. */
function mergeConditions(existing: unknown, wanted: Record<string, ConditionSpec>, now: string): Fields[] {
  const previous = list(existing).flatMap((c) => (record(c) === undefined ? [] : [record(c) as Fields]));
  const out: Fields[] = [];
  for (const [type, spec] of Object.entries(wanted)) {
    const old = previous.find((c) => c.type === type);
    const changed = old === undefined || old.status !== spec.status;
    out.push({
      type,
      status: spec.status,
      lastProbeTime: null,
      lastTransitionTime: changed ? now : old.lastTransitionTime,
      ...(spec.reason === undefined ? {} : { reason: spec.reason }),
      ...(spec.message === undefined ? {} : { message: spec.message }),
    });
  }
  for (const condition of previous) if (!(String(condition.type) in wanted)) out.push(condition);
  return out;
}

/** The pod's status from the kubelet's record; fields it does not own (qosClass, PodScheduled) stay. */
export function renderPodStatus(current: KubeObject, pod: PodRecord, now: string): Fields {
  const status = record(current.status) ?? {};
  const ips = [{ ip: POD_IP }];
  const next: Fields = {
    ...status,
    phase: pod.phase,
    conditions: mergeConditions(status.conditions, podConditions(pod), now),
    hostIP: POD_IP,
    hostIPs: ips,
    podIP: POD_IP,
    podIPs: ips,
    startTime: pod.startTime,
    containerStatuses: pod.containers.map(containerStatus),
  };
  if (pod.init.length > 0) next.initContainerStatuses = pod.init.map(containerStatus);
  if (pod.reason !== undefined) next.reason = pod.reason;
  if (pod.message !== undefined) next.message = pod.message;
  return next;
}

/** Pending until the init containers have succeeded and a container started; terminal once all ended. */
export function computePhase(pod: PodRecord, restartPolicy: string): PodPhase {
  const failedInit = pod.init.find((c) => c.state.kind === "terminated" && c.state.exitCode !== 0);
  if (failedInit !== undefined && restartPolicy === "Never") return "Failed";
  if (!pod.init.every(initialized)) return "Pending";
  const states = pod.containers.map((c) => c.state);
  if (states.every((s) => s.kind === "terminated")) {
    const ok = states.every((s) => s.kind === "terminated" && s.exitCode === 0);
    if (ok && restartPolicy !== "Always") return "Succeeded";
    if (!ok && restartPolicy === "Never") return "Failed";
  }
  return pod.containers.some((c) => c.pid !== undefined) ? "Running" : "Pending";
}

export const KUBELET_RESTARTED_REASON = "MobHostKubeletRestarted";

/**
 * The status of a pod whose processes a previous mob process started and which are gone now:
 * Failed, every unfinished container terminated as ContainerStatusUnknown (exit 137), as Kubernetes
 * reports containers it can no longer find.
 */
export function restartedStatus(current: KubeObject, now: string): Fields {
  const status = record(current.status) ?? {};
  const finish = (entry: unknown): unknown => {
    const container = record(entry);
    const state = record(container?.state);
    if (container === undefined || record(state?.terminated) !== undefined) return entry;
    const startedAt = record(state?.running)?.startedAt ?? now;
    const terminated = {
      exitCode: 137,
      reason: "ContainerStatusUnknown",
      message: "mob host kubelet restarted; the container's process is gone",
      startedAt,
      finishedAt: now,
    };
    return { ...container, state: { terminated }, ready: false, started: false };
  };
  const conditions = list(status.conditions).map((entry) => {
    const c = record(entry);
    if (c === undefined || !["Ready", "ContainersReady"].includes(String(c.type)) || c.status === "False")
      return entry;
    return { ...c, status: "False", lastTransitionTime: now, reason: "PodFailed" };
  });
  return {
    ...status,
    phase: "Failed",
    reason: KUBELET_RESTARTED_REASON,
    message: "mob host kubelet restarted while the pod was running; its processes are gone",
    conditions,
    containerStatuses: list(status.containerStatuses).map(finish),
    ...(status.initContainerStatuses === undefined
      ? {}
      : { initContainerStatuses: list(status.initContainerStatuses).map(finish) }),
  };
}

/** Whether a pod's status shows containers that were started (by this or an earlier kubelet). */
export function hasStartedContainers(pod: KubeObject): boolean {
  const status = record(pod.status) ?? {};
  return [...list(status.containerStatuses), ...list(status.initContainerStatuses)].some(
    (entry) => typeof record(entry)?.containerID === "string",
  );
}
