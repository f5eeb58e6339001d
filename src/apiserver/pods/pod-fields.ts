// Reading the parts of a Pod the subresources need: container names, container states, readiness.

import { isPlainObject, type KubeObject } from "../../api/object.ts";

type Fields = Record<string, unknown>;

function fields(value: unknown): Fields {
  return isPlainObject(value) ? value : {};
}

function items(value: unknown): Fields[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

function names(list: unknown): string[] {
  return items(list)
    .map((container) => container.name)
    .filter((name): name is string => typeof name === "string");
}

export function containerNames(pod: KubeObject): string[] {
  return names(fields(pod.spec).containers);
}

export function initContainerNames(pod: KubeObject): string[] {
  return names(fields(pod.spec).initContainers);
}

/** Every container a log may be asked for: regular, init and ephemeral. */
export function allContainerNames(pod: KubeObject): string[] {
  const spec = fields(pod.spec);
  return [...names(spec.containers), ...names(spec.initContainers), ...names(spec.ephemeralContainers)];
}

export function nodeName(pod: KubeObject): string {
  const name = fields(pod.spec).nodeName;
  return typeof name === "string" ? name : "";
}

export function phase(pod: KubeObject): string {
  const value = fields(pod.status).phase;
  return typeof value === "string" ? value : "";
}

/** The v1.ContainerStatus of a container, from any of the three status lists. */
export function containerStatus(pod: KubeObject, container: string): Fields | undefined {
  const status = fields(pod.status);
  for (const list of ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"]) {
    const found = items(status[list]).find((entry) => entry.name === container);
    if (found !== undefined) return found;
  }
  return undefined;
}

export type ContainerStateKind = "unknown" | "waiting" | "running" | "terminated";

export interface ContainerState {
  kind: ContainerStateKind;
  /** waiting.reason or terminated.reason, when given. */
  reason: string | undefined;
}

/** The current state of a container; "unknown" when the status has no entry or no state yet. */
export function containerState(pod: KubeObject, container: string): ContainerState {
  const state = fields(containerStatus(pod, container)?.state);
  for (const kind of ["terminated", "running", "waiting"] as const) {
    if (isPlainObject(state[kind])) {
      const reason = state[kind].reason;
      return { kind, reason: typeof reason === "string" ? reason : undefined };
    }
  }
  return { kind: "unknown", reason: undefined };
}

/** Whether the container has a terminated previous run (lastState.terminated). */
export function hasPreviousRun(pod: KubeObject, container: string): boolean {
  return isPlainObject(fields(containerStatus(pod, container)?.lastState).terminated);
}

/** The status of the pod condition `type` ("True", "False", "Unknown"), undefined when absent. */
export function conditionStatus(pod: KubeObject, type: string): string | undefined {
  const condition = items(fields(pod.status).conditions).find((c) => c.type === type);
  return typeof condition?.status === "string" ? condition.status : undefined;
}
