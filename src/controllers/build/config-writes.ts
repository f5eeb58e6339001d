// Writes to the MachineOSConfig and the pool on behalf of a build:
//   MOSC  annotation `current-machine-os-build` (and dropping `rebuild`), status
//         currentImagePullSpec / machineOSBuild / observedGeneration (merge patches: only these
//         fields change, whatever else is there);
//   pool  ImageBuildDegraded with upstream's reasons and messages, and Degraded=True while a build
//         has failed (PUT at the cached resourceVersion: the conditions list is atomic, so a stale
//         view must fail with 409 and be retried rather than overwrite another controller's write).

import {
  GROUP,
  ImageBuildDegradedReasons,
  MachineOSConfigAnnotations,
  PoolConditionTypes,
} from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { canonicalJson } from "../../ignition/index.ts";
import type { EventRecord } from "../../runtime/events.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { type ConditionUpdate, findPoolCondition, setPoolCondition } from "../render/conditions.ts";
import type { BuildState } from "./build-state.ts";
import { BuildEvents, buildFailedPoolMessage } from "./constants.ts";
import type { BuildIdentity } from "./labels.ts";

/** Upstream's Degraded message while an image build has failed. */
export const BUILD_DEGRADED_MESSAGE = "Custom OS image build failed";

export async function pointConfigAt(
  moscs: ResourceClient<MachineOSConfig>,
  mosc: MachineOSConfig,
  mosb: MachineOSBuild,
  options: { dropRebuild: boolean; withImage: boolean; signal: AbortSignal },
): Promise<void> {
  const name = mosc.metadata.name ?? "";
  const annotations = mosc.metadata.annotations ?? {};
  const mosbName = mosb.metadata.name ?? "";
  const wantDrop = options.dropRebuild && annotations[MachineOSConfigAnnotations.rebuild] !== undefined;
  if (annotations[MachineOSConfigAnnotations.currentMachineOSBuild] !== mosbName || wantDrop) {
    const patch = {
      [MachineOSConfigAnnotations.currentMachineOSBuild]: mosbName,
      ...(wantDrop ? { [MachineOSConfigAnnotations.rebuild]: null } : {}),
    };
    await moscs.patch(name, { metadata: { annotations: patch } }, { type: "merge", signal: options.signal });
  }
  const image = mosb.status?.digestedImagePushSpec;
  const status = {
    observedGeneration: Math.max(mosc.status?.observedGeneration ?? 0, mosc.metadata.generation ?? 0),
    ...(options.withImage && image !== undefined
      ? {
          currentImagePullSpec: image,
          machineOSBuild: { group: GROUP, resource: "machineosbuilds", name: mosbName },
        }
      : {}),
  };
  const current = mosc.status ?? {};
  const same =
    current.observedGeneration === status.observedGeneration &&
    (!("currentImagePullSpec" in status) ||
      (current.currentImagePullSpec === status.currentImagePullSpec &&
        canonicalJson(current.machineOSBuild ?? {}) === canonicalJson(status.machineOSBuild)));
  if (same) return;
  await moscs.patch(name, { status }, { type: "merge", subresource: "status", signal: options.signal });
}

/** ImageBuildDegraded for the pool's current build state (undefined: leave the pool alone). */
export function imageBuildDegraded(
  pool: string,
  mosb: string,
  state: BuildState,
): ConditionUpdate | undefined {
  const type = PoolConditionTypes.ImageBuildDegraded;
  switch (state) {
    case "Failed":
      return {
        type,
        status: "True",
        reason: ImageBuildDegradedReasons.BuildFailed,
        message: buildFailedPoolMessage(pool, mosb),
      };
    case "Succeeded":
      return {
        type,
        status: "False",
        reason: ImageBuildDegradedReasons.BuildSuccess,
        message: `Successfully built OS image for pool ${pool} (MachineOSBuild: ${mosb})`,
      };
    case "Prepared":
    case "Building":
      return {
        type,
        status: "False",
        reason: ImageBuildDegradedReasons.Building,
        message: `Building OS image for pool ${pool} (MachineOSBuild: ${mosb})`,
      };
    case "Interrupted":
      return {
        type,
        status: "False",
        reason: ImageBuildDegradedReasons.BuildPending,
        message: `OS image build for pool ${pool} was interrupted (MachineOSBuild: ${mosb}); waiting for a new build`,
      };
    case "Initial":
      return {
        type,
        status: "False",
        reason: ImageBuildDegradedReasons.BuildPending,
        message: `Waiting for an OS image build to start for pool ${pool} (MachineOSBuild: ${mosb})`,
      };
  }
}

/** Writes the condition (and Degraded while the build has failed); returns whether it changed. */
export async function writePoolBuildCondition(
  pools: ResourceClient<MachineConfigPool>,
  pool: MachineConfigPool,
  update: ConditionUpdate,
  now: Date,
  signal: AbortSignal,
): Promise<boolean> {
  const before = pool.status?.conditions;
  let conditions = setPoolCondition(before, update, now);
  const degraded = findPoolCondition(before, PoolConditionTypes.Degraded);
  if (update.status === "True") {
    conditions = setPoolCondition(
      conditions,
      { type: PoolConditionTypes.Degraded, status: "True", reason: "", message: BUILD_DEGRADED_MESSAGE },
      now,
    );
  } else if (degraded?.status === "True" && degraded.message === BUILD_DEGRADED_MESSAGE) {
    conditions = setPoolCondition(
      conditions,
      { type: PoolConditionTypes.Degraded, status: "False", reason: "", message: "" },
      now,
    );
  }
  if (canonicalJson(conditions) === canonicalJson(before ?? [])) return false;
  await pools.updateStatus({ ...structuredClone(pool), status: { ...pool.status, conditions } }, { signal });
  return true;
}

/**
 * Sets ImageBuildDegraded for `state`. When its reason changes, an event on the pool with that
 * reason (mob only: upstream reports build phases on the build objects alone); when its status
 * flips, BuildDegraded/BuildRecovered on the MachineOSConfig (upstream).
 */
export async function syncPoolCondition(
  r: {
    pools: ResourceClient<MachineConfigPool>;
    event: (object: KubeObject, event: EventRecord, signal: AbortSignal) => Promise<void>;
  },
  mosc: MachineOSConfig,
  pool: MachineConfigPool,
  id: BuildIdentity,
  state: BuildState,
  signal: AbortSignal,
  now: Date,
): Promise<void> {
  const update = imageBuildDegraded(id.pool, id.mosb, state);
  if (update === undefined) return;
  const previous = pool.status?.conditions?.find((c) => c.type === update.type);
  const changed = await writePoolBuildCondition(r.pools, pool, update, now, signal);
  if (changed && previous?.reason !== update.reason) {
    const type = update.status === "True" ? "Warning" : "Normal";
    await r.event(pool, { type, reason: update.reason, message: update.message }, signal);
  }
  if (!changed || previous?.status === update.status) return;
  if (update.status === "True") {
    await r.event(
      mosc,
      { type: "Warning", reason: BuildEvents.BuildDegraded, message: update.message },
      signal,
    );
  } else if (previous?.status === "True") {
    await r.event(
      mosc,
      { type: "Normal", reason: BuildEvents.BuildRecovered, message: update.message },
      signal,
    );
  }
}
