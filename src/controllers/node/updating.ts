// The pool's Updated and Updating conditions (upstream calculateStatus), including the OCL
// messages of a layered pool (upstream §5) and their paused variants. Pure.

import { PoolConditionTypes } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { BuildState } from "../build/build-state.ts";
import type { ConditionUpdate } from "../render/conditions.ts";
import { LayeredUpdatingMessages as Active, PausedLayeredUpdatingMessages as Paused } from "./constants.ts";
import type { PoolTarget } from "./target.ts";

export interface UpdatingInput {
  pool: MachineConfigPool;
  target: PoolTarget;
  /** Every node runs the target, is Ready and available. */
  allUpdated: boolean;
  /** NodeDegraded (as computed now), RenderDegraded or PinnedImageSetsDegraded is True. */
  nonBuildDegraded: boolean;
}

type Status = ConditionUpdate["status"];

const updating = (status: Status, message: string): ConditionUpdate => ({
  type: PoolConditionTypes.Updating,
  status,
  reason: "",
  message,
});

/** "MachineConfig <name>", plus " / Image <pullspec>" when the pool is layered and has an image. */
export function poolUpdateLine(pool: MachineConfigPool, target: PoolTarget): string {
  const line = `MachineConfig ${pool.spec.configuration?.name ?? ""}`;
  const image =
    target.kind === "layered" || target.kind === "waiting"
      ? target.mosc?.status?.currentImagePullSpec
      : undefined;
  return image === undefined ? line : `${line} / Image ${image}`;
}

/** Updated is True only when every node is updated and no image build is pending for the pool. */
export function isPoolUpdated(input: Pick<UpdatingInput, "target" | "allUpdated">): boolean {
  return input.allUpdated && (input.target.kind === "plain" || input.target.kind === "layered");
}

export function updatedAndUpdating(input: UpdatingInput): [ConditionUpdate, ConditionUpdate] {
  const { pool, target } = input;
  const line = poolUpdateLine(pool, target);
  if (isPoolUpdated(input)) {
    const updated: ConditionUpdate = {
      type: PoolConditionTypes.Updated,
      status: "True",
      reason: "",
      message: `All nodes are updated with ${line}`,
    };
    return [updated, updating("False", "")];
  }
  const notUpdated: ConditionUpdate = {
    type: PoolConditionTypes.Updated,
    status: "False",
    reason: "",
    message: "",
  };
  return [notUpdated, layeredUpdating(input) ?? genericUpdating(pool, line)];
}

function genericUpdating(pool: MachineConfigPool, line: string): ConditionUpdate {
  return pool.spec.paused === true
    ? updating("False", `Pool is paused; will not update to ${line}`)
    : updating("True", `All nodes are updating to ${line}`);
}

/** The OCL message, when a MachineOSConfig targets the pool. */
function layeredUpdating(input: UpdatingInput): ConditionUpdate | undefined {
  const { pool, target } = input;
  if (target.kind !== "layered" && target.kind !== "waiting") return undefined;
  const mosc = target.mosc?.metadata.name;
  if (mosc === undefined) return undefined;
  const mosb = target.mosb?.metadata.name;
  const state: BuildState | undefined = target.kind === "layered" ? "Succeeded" : target.state;
  if (pool.spec.paused === true) return pausedMessage(mosc, mosb, state);
  if (input.nonBuildDegraded) return updating("False", Active.degraded);
  if (mosb === undefined || state === undefined) return updating("True", Active.noBuild(mosc));
  switch (state) {
    case "Initial":
    case "Prepared":
      return updating("True", Active.waitingToStart(mosb));
    case "Building":
      return updating("True", Active.building(mosb));
    case "Failed":
      return updating("False", Active.failed(mosb));
    case "Interrupted":
      return updating("False", Active.interrupted(mosb));
    case "Succeeded":
      return updating("True", Active.applying(mosb));
  }
}

function pausedMessage(
  mosc: string,
  mosb: string | undefined,
  state: BuildState | undefined,
): ConditionUpdate {
  if (mosb === undefined || state === undefined) return updating("True", Paused.noBuild(mosc));
  switch (state) {
    case "Initial":
      return updating("True", Paused.initial(mosb));
    case "Prepared":
      return updating("True", Paused.prepared(mosb));
    case "Building":
      return updating("True", Paused.building(mosb));
    case "Failed":
      return updating("False", Paused.failed(mosb));
    case "Interrupted":
      return updating("False", Paused.interrupted(mosb));
    case "Succeeded":
      return updating("False", Paused.succeeded(mosb));
  }
}
