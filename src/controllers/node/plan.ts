// The rollout plan of one pool (upstream §7), pure:
//   maxUnavailable  spec.maxUnavailable as an int or a percentage of the pool's nodes rounded down;
//                   1 when unset, invalid, or 0.
//   capacity        maxUnavailable − unavailable nodes − nodes already targeted at this config whose
//                   daemon is failing (a failure may be transient; if it clears, several nodes must
//                   not start at once). Never below 0.
//   candidates      Ready nodes whose desired annotations differ from the target (a non-layered
//                   target has no image, so a node still carrying desiredImage is a candidate: that
//                   is the revert), ordered by zone label, then oldest first, then name; the first
//                   `capacity` of them are updated.
//   taints          UpdateInProgress:PreferNoSchedule on every node not running the target, off the others.
// Paused pools, pools being deleted and pools without a ready target get no node changes at all.

import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { DEFAULT_MAX_UNAVAILABLE, ZONE_LABEL } from "./constants.ts";
import {
  hasUpdateTaint,
  isFailing,
  isReady,
  isTargeted,
  isUnavailable,
  isUpdated,
  nodeName,
  type RolloutTarget,
} from "./node-state.ts";
import type { PoolTarget } from "./target.ts";

export interface NodeUpdate {
  node: string;
  desiredConfig: string;
  /** Absent: the desiredImage annotation is removed. */
  desiredImage?: string;
}

export interface TaintChange {
  node: string;
  /** True: add the UpdateInProgress taint; false: remove it. */
  taint: boolean;
}

export interface RolloutPlan {
  maxUnavailable: number;
  unavailable: number;
  /** Nodes targeted at this config whose daemon reports Degraded/Unreconcilable. */
  failing: number;
  capacity: number;
  updates: NodeUpdate[];
  taints: TaintChange[];
}

export interface RolloutInput {
  pool: MachineConfigPool;
  nodes: readonly KubeObject[];
  target: PoolTarget;
}

/** spec.maxUnavailable resolved against the pool's node count (upstream: scaled, rounded down). */
export function resolveMaxUnavailable(value: number | string | undefined, machineCount: number): number {
  let resolved = DEFAULT_MAX_UNAVAILABLE;
  if (typeof value === "number") resolved = value;
  else if (typeof value === "string") {
    const percent = /^(\d+)%$/.exec(value);
    if (percent?.[1] !== undefined) resolved = Math.floor((Number(percent[1]) * machineCount) / 100);
  }
  return Math.max(resolved, DEFAULT_MAX_UNAVAILABLE);
}

export function planRollout(input: RolloutInput): RolloutPlan {
  const { pool, nodes, target } = input;
  const maxUnavailable = resolveMaxUnavailable(pool.spec.maxUnavailable, nodes.length);
  const unavailable = nodes.filter(isUnavailable).length;
  const empty = { maxUnavailable, unavailable, failing: 0, capacity: 0, updates: [], taints: [] };
  const rollout = rolloutTarget(pool, target);
  if (rollout === undefined) return empty;
  const failing = nodes.filter((node) => isTargeted(node, rollout) && isFailing(node)).length;
  const capacity = Math.max(0, maxUnavailable - unavailable - failing);
  const updates = nodes
    .filter((node) => isReady(node) && !isTargeted(node, rollout))
    .sort(byZoneThenAge)
    .slice(0, capacity)
    .map((node) => updateOf(nodeName(node), rollout));
  const taints = nodes.flatMap((node): TaintChange[] => {
    const want = !isUpdated(node, rollout);
    return want === hasUpdateTaint(node) ? [] : [{ node: nodeName(node), taint: want }];
  });
  return { ...empty, failing, capacity, updates, taints };
}

/** The target nodes may be moved to, or undefined when the pool must not touch its nodes. */
function rolloutTarget(pool: MachineConfigPool, target: PoolTarget): RolloutTarget | undefined {
  if (pool.spec.paused === true || pool.metadata.deletionTimestamp !== undefined) return undefined;
  return target.kind === "plain" || target.kind === "layered" ? target.target : undefined;
}

function updateOf(node: string, target: RolloutTarget): NodeUpdate {
  return target.image === undefined
    ? { node, desiredConfig: target.config }
    : { node, desiredConfig: target.config, desiredImage: target.image };
}

/** Zone label, then creationTimestamp (oldest first), then name; byte-wise like Go. */
export function byZoneThenAge(a: KubeObject, b: KubeObject): number {
  const keys = (n: KubeObject): string[] => [
    n.metadata.labels?.[ZONE_LABEL] ?? "",
    n.metadata.creationTimestamp ?? "",
    n.metadata.name ?? "",
  ];
  const left = keys(a);
  const right = keys(b);
  for (const [i, l] of left.entries()) {
    const r = right[i] ?? "";
    if (l !== r) return l < r ? -1 : 1;
  }
  return 0;
}
