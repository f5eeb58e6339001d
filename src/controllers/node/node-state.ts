// What the node controller reads of a Node: readiness, cordon, taints, the daemon's annotations,
// and whether the node is at a rollout target. Pure; Nodes stay untyped `KubeObject`s elsewhere.

import { NodeAnnotations, NodeStates, UPDATE_IN_PROGRESS_TAINT } from "../../api/constants.ts";
import type { KubeObject } from "../../api/object.ts";

/** What a pool's nodes should run: a rendered config, plus a digested image when layered. */
export interface RolloutTarget {
  config: string;
  /** Absent for a non-layered pool: nodes must carry no desiredImage/currentImage. */
  image?: string;
}

export interface Taint {
  key: string;
  effect: string;
  value?: string;
  timeAdded?: string;
}

function annotation(node: KubeObject, key: string): string | undefined {
  const value = node.metadata.annotations?.[key];
  return value === "" ? undefined : value;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export const nodeName = (node: KubeObject): string => node.metadata.name ?? "";
export const nodeState = (node: KubeObject): string | undefined => annotation(node, NodeAnnotations.state);
export const desiredConfig = (node: KubeObject): string | undefined =>
  annotation(node, NodeAnnotations.desiredConfig);
export const desiredImage = (node: KubeObject): string | undefined =>
  annotation(node, NodeAnnotations.desiredImage);
export const currentConfig = (node: KubeObject): string | undefined =>
  annotation(node, NodeAnnotations.currentConfig);
export const currentImage = (node: KubeObject): string | undefined =>
  annotation(node, NodeAnnotations.currentImage);
export const degradedReason = (node: KubeObject): string | undefined =>
  annotation(node, NodeAnnotations.reason);

/** The kubelet's Ready condition is True. */
export function isReady(node: KubeObject): boolean {
  const conditions = record(node.status).conditions;
  if (!Array.isArray(conditions)) return false;
  return conditions.some((c) => record(c).type === "Ready" && record(c).status === "True");
}

export function isUnschedulable(node: KubeObject): boolean {
  return record(node.spec).unschedulable === true;
}

export function taintsOf(node: KubeObject): Taint[] {
  const taints = record(node.spec).taints;
  return Array.isArray(taints) ? (taints as Taint[]) : [];
}

export function hasUpdateTaint(node: KubeObject): boolean {
  return taintsOf(node).some(
    (t) => t.key === UPDATE_IN_PROGRESS_TAINT.key && t.effect === UPDATE_IN_PROGRESS_TAINT.effect,
  );
}

/** The daemon reports Degraded or Unreconcilable (upstream: only once it has a desiredConfig). */
export function isFailing(node: KubeObject): boolean {
  const state = nodeState(node);
  return (
    desiredConfig(node) !== undefined &&
    (state === NodeStates.Degraded || state === NodeStates.Unreconcilable)
  );
}

/** The daemon finished: state Done and current equals desired (config and image). */
export function isDone(node: KubeObject): boolean {
  return (
    nodeState(node) === NodeStates.Done &&
    currentConfig(node) === desiredConfig(node) &&
    currentImage(node) === desiredImage(node)
  );
}

/**
 * Upstream's IsUnavailableForUpdate: not Ready, cordoned, or the daemon has work it has not
 * finished (desired ≠ current or not Done) while it is not failing — such a node may go
 * unschedulable any moment, so it already takes a slot.
 */
export function isUnavailable(node: KubeObject): boolean {
  return !isReady(node) || isUnschedulable(node) || (!isDone(node) && !isFailing(node));
}

/** The node has been told to run `target` (its desired annotations equal it). */
export function isTargeted(node: KubeObject, target: RolloutTarget): boolean {
  return desiredConfig(node) === target.config && desiredImage(node) === target.image;
}

/** The node runs `target`: targeted, Done, and current equals desired. */
export function isUpdated(node: KubeObject, target: RolloutTarget): boolean {
  return isTargeted(node, target) && isDone(node);
}
