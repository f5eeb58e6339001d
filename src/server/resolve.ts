// What the machine-config-server hands a new node of a pool (upstream's cluster_server.go):
//   - the config: spec.configuration once at least one node of the pool has updated to it
//     (updatedMachineCount > 0), else status.configuration, what the pool's nodes run now. A pool
//     the node controller has not written a status for yet serves its spec.
//   - the layered image, so the node boots straight into it (one pivot): only when the pool has a
//     MachineOSConfig with an image (status.currentImagePullSpec), the build for the served config
//     (the one the MachineOSConfig's current-machine-os-build annotation names, see selectBuild)
//     has Succeeded, and updatedMachineCount > 0 — a layered image no node has booted yet is not
//     trusted for bootstrap. The image is that build's digestedImagePushSpec.
// Upstream also refuses images in the OpenShift internal registry (no cluster DNS while a node
// bootstraps); mob has no internal registry, every registry is reachable by address, so it drops
// that rule.

import type { MachineConfigPool } from "../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../api/machineosconfig-v1.ts";
import { buildStateOf } from "../controllers/build/build-state.ts";
import { selectBuild } from "../controllers/node/target.ts";

/** The rendered MachineConfig a new node of `pool` gets, or undefined before the pool is rendered. */
export function servedConfigName(pool: MachineConfigPool): string | undefined {
  const spec = nonEmpty(pool.spec.configuration?.name);
  const status = nonEmpty(pool.status?.configuration?.name);
  if ((pool.status?.updatedMachineCount ?? 0) > 0) return spec ?? status;
  return status ?? spec;
}

export type LayeredImage =
  | { image: string; build: string }
  /** Why the node boots the config's osImageURL instead (for the server's log). */
  | { image: undefined; reason: string };

export function layeredImageFor(
  pool: MachineConfigPool,
  config: string,
  moscs: readonly MachineOSConfig[],
  mosbs: readonly MachineOSBuild[],
): LayeredImage {
  const name = pool.metadata.name ?? "";
  const mosc = moscs.find((m) => m.spec.machineConfigPool.name === name);
  if (mosc === undefined) return { image: undefined, reason: "the pool is not layered" };
  if (nonEmpty(mosc.status?.currentImagePullSpec) === undefined) {
    return { image: undefined, reason: `MachineOSConfig ${mosc.metadata.name} has no image yet` };
  }
  const builds = mosbs.filter((b) => b.spec.machineOSConfig.name === mosc.metadata.name);
  const build = selectBuild(mosc, builds, config);
  if (build === undefined) return { image: undefined, reason: `no MachineOSBuild for ${config}` };
  const image = nonEmpty(build.status?.digestedImagePushSpec);
  if (buildStateOf(build) !== "Succeeded" || image === undefined) {
    return { image: undefined, reason: `MachineOSBuild ${build.metadata.name} has not succeeded` };
  }
  if ((pool.status?.updatedMachineCount ?? 0) === 0) {
    return { image: undefined, reason: "no node of the pool has updated to the image yet" };
  }
  return { image, build: build.metadata.name ?? "" };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
