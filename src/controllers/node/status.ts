// The pool status the node controller owns (upstream calculateStatus), pure:
//   counts        machineCount; updatedMachineCount (Done, current = desired = target config and
//                 image, no image when not layered); readyMachineCount (updated and Ready);
//                 unavailableMachineCount (see node-state.ts); degradedMachineCount (Degraded or
//                 Unreconcilable).
//   configuration copied from spec.configuration once every node is updated, Ready and available,
//                 as upstream does: status.configuration is what the pool's nodes run now.
//   conditions    Updated/Updating (updating.ts); NodeDegraded (failing nodes, each "Node X is
//                 reporting: <reason>", and mob's pool conflicts); Degraded = NodeDegraded or
//                 RenderDegraded or ImageBuildDegraded or PinnedImageSetsDegraded or
//                 PoolSynchronizerDegraded. The Degraded message is the build-failure one when
//                 ImageBuildDegraded is True (where upstream prefers the node message): the build
//                 controller writes that same message, and two controllers preferring different
//                 messages would overwrite each other forever.
// Other status fields and condition types are kept as they are.

import { PoolConditionTypes } from "../../api/constants.ts";
import type { MachineConfigPool, MachineConfigPoolStatus } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import {
  type ConditionUpdate,
  findPoolCondition,
  type PoolCondition,
  setPoolCondition,
} from "../render/conditions.ts";
import {
  BUILD_FAILED_DEGRADED_MESSAGE,
  degradedNodesReason,
  NODE_POOL_CONFLICT_REASON,
} from "./constants.ts";
import type { PoolConflict } from "./membership.ts";
import {
  degradedReason,
  isFailing,
  isReady,
  isUnavailable,
  isUpdated,
  nodeName,
  nodeState,
} from "./node-state.ts";
import { countingTarget, type PoolTarget } from "./target.ts";
import { updatedAndUpdating } from "./updating.ts";

export interface StatusInput {
  pool: MachineConfigPool;
  nodes: readonly KubeObject[];
  target: PoolTarget;
  conflicts: readonly PoolConflict[];
  now: Date;
}

export interface NodeCounts {
  machineCount: number;
  updatedMachineCount: number;
  readyMachineCount: number;
  unavailableMachineCount: number;
  degradedMachineCount: number;
}

export function countNodes(nodes: readonly KubeObject[], target: PoolTarget): NodeCounts {
  const counting = countingTarget(target);
  const updated = counting === undefined ? [] : nodes.filter((node) => isUpdated(node, counting));
  return {
    machineCount: nodes.length,
    updatedMachineCount: updated.length,
    readyMachineCount: updated.filter(isReady).length,
    unavailableMachineCount: nodes.filter(isUnavailable).length,
    degradedMachineCount: nodes.filter(isFailing).length,
  };
}

export function allUpdated(counts: NodeCounts, target: PoolTarget): boolean {
  return (
    countingTarget(target) !== undefined &&
    counts.updatedMachineCount === counts.machineCount &&
    counts.readyMachineCount === counts.machineCount &&
    counts.unavailableMachineCount === 0
  );
}

export function computePoolStatus(input: StatusInput): MachineConfigPoolStatus {
  const { pool, nodes, target, now } = input;
  const current = pool.status ?? {};
  const counts = countNodes(nodes, target);
  const updated = allUpdated(counts, target);
  const nodeDegraded = nodeDegradedCondition(nodes, input.conflicts);
  const conditions = current.conditions;
  const isTrue = (type: string): boolean => findPoolCondition(conditions, type)?.status === "True";
  const nonBuildDegraded =
    nodeDegraded.status === "True" ||
    isTrue(PoolConditionTypes.RenderDegraded) ||
    isTrue(PoolConditionTypes.PinnedImageSetsDegraded);
  const [updatedCondition, updatingCondition] = updatedAndUpdating({
    pool,
    target,
    allUpdated: updated,
    nonBuildDegraded,
  });
  const degraded = degradedCondition(nodeDegraded, isTrue);
  const next = [updatedCondition, updatingCondition, nodeDegraded, degraded].reduce<PoolCondition[]>(
    (list, update) => setPoolCondition(list, update, now),
    [...(conditions ?? [])],
  );
  const configuration =
    updated && pool.spec.configuration !== undefined ? pool.spec.configuration : current.configuration;
  return {
    ...current,
    ...(pool.metadata.generation !== undefined ? { observedGeneration: pool.metadata.generation } : {}),
    ...(configuration !== undefined ? { configuration: structuredClone(configuration) } : {}),
    ...counts,
    conditions: next,
  };
}

function nodeDegradedCondition(
  nodes: readonly KubeObject[],
  conflicts: readonly PoolConflict[],
): ConditionUpdate {
  const type = PoolConditionTypes.NodeDegraded;
  const failing = nodes.filter(isFailing);
  if (failing.length === 0 && conflicts.length === 0)
    return { type, status: "False", reason: "", message: "" };
  // Upstream lists only nodes with a reason; mob names every failing node, with its state when
  // the daemon gave no reason, so the message always says which node is at fault.
  const reports = failing.map(
    (node) =>
      `Node ${nodeName(node)} is reporting: ${JSON.stringify(degradedReason(node) ?? nodeState(node) ?? "")}`,
  );
  const reason = failing.length > 0 ? degradedNodesReason(failing.length) : NODE_POOL_CONFLICT_REASON;
  const message = [...reports, ...conflicts.map((conflict) => conflict.message)].join(", ");
  return { type, status: "True", reason, message };
}

function degradedCondition(
  nodeDegraded: ConditionUpdate,
  isTrue: (type: string) => boolean,
): ConditionUpdate {
  const type = PoolConditionTypes.Degraded;
  const build = isTrue(PoolConditionTypes.ImageBuildDegraded);
  const other =
    isTrue(PoolConditionTypes.RenderDegraded) ||
    isTrue(PoolConditionTypes.PinnedImageSetsDegraded) ||
    isTrue(PoolConditionTypes.PoolSynchronizerDegraded);
  if (build) return { type, status: "True", reason: "", message: BUILD_FAILED_DEGRADED_MESSAGE };
  if (nodeDegraded.status === "True")
    return { type, status: "True", reason: "", message: nodeDegraded.message };
  return other
    ? { type, status: "True", reason: "", message: "" }
    : { type, status: "False", reason: "", message: "" };
}
