// What a pool rolls out (upstream §2.9). A pool is layered when a MachineOSConfig names it or a
// MachineOSBuild is labelled for it. A layered pool's target is (the build's MachineConfig, the
// MachineOSConfig's currentImagePullSpec), and only once the build serving the pool's current
// rendered config has Succeeded with exactly that digest; until then the pool waits and no node is
// touched. The build is the one the MachineOSConfig's `current-machine-os-build` annotation names
// when it is for the pool's config; a stale annotation falls back to any build of that
// MachineOSConfig and config. The annotation is the build controller's to repoint (mob's build
// controller does so by hash), so this controller only reads it.

import { BuildKeys, MachineOSConfigAnnotations } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import { type BuildState, buildStateOf } from "../build/build-state.ts";
import type { RolloutTarget } from "./node-state.ts";

export type PoolTarget =
  /** spec.configuration is not set yet: nothing to roll out. */
  | { kind: "unrendered" }
  | { kind: "plain"; target: RolloutTarget }
  | { kind: "layered"; target: RolloutTarget; mosc: MachineOSConfig; mosb: MachineOSBuild }
  /** Layered, but no image is ready for the pool's config; `mosb` is the build being waited for. */
  | { kind: "waiting"; config: string; mosc?: MachineOSConfig; mosb?: MachineOSBuild; state?: BuildState };

export function poolTarget(
  pool: MachineConfigPool,
  moscs: readonly MachineOSConfig[],
  mosbs: readonly MachineOSBuild[],
): PoolTarget {
  const config = pool.spec.configuration?.name;
  if (config === undefined || config === "") return { kind: "unrendered" };
  const poolName = pool.metadata.name ?? "";
  const mosc = moscs.find((m) => m.spec.machineConfigPool.name === poolName);
  if (mosc === undefined) {
    const labelled = mosbs.some((b) => b.metadata.labels?.[BuildKeys.targetMachineConfigPool] === poolName);
    return labelled ? { kind: "waiting", config } : { kind: "plain", target: { config } };
  }
  const builds = mosbs.filter((b) => b.spec.machineOSConfig.name === mosc.metadata.name);
  const mosb = selectBuild(mosc, builds, config);
  if (mosb === undefined) return { kind: "waiting", config, mosc };
  const state = buildStateOf(mosb);
  const image = mosc.status?.currentImagePullSpec;
  if (state === "Succeeded" && image !== undefined && mosb.status?.digestedImagePushSpec === image) {
    return { kind: "layered", target: { config: mosb.spec.machineConfig.name, image }, mosc, mosb };
  }
  return { kind: "waiting", config, mosc, mosb, state };
}

/** The build serving `config`: the annotated one when it is for `config`, else the best other. */
export function selectBuild(
  mosc: MachineOSConfig,
  builds: readonly MachineOSBuild[],
  config: string,
): MachineOSBuild | undefined {
  const forConfig = builds.filter((b) => b.spec.machineConfig.name === config);
  const annotated = mosc.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
  const named = forConfig.find((b) => b.metadata.name === annotated);
  if (named !== undefined) return named;
  const image = mosc.status?.currentImagePullSpec;
  const serving = (b: MachineOSBuild): number =>
    buildStateOf(b) === "Succeeded" && image !== undefined && b.status?.digestedImagePushSpec === image
      ? 1
      : 0;
  return [...forConfig].sort((a, b) => serving(b) - serving(a) || newestFirst(a, b))[0];
}

function newestFirst(a: MachineOSBuild, b: MachineOSBuild): number {
  const at = a.metadata.creationTimestamp ?? "";
  const bt = b.metadata.creationTimestamp ?? "";
  if (at !== bt) return at < bt ? 1 : -1;
  const an = a.metadata.name ?? "";
  const bn = b.metadata.name ?? "";
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** The target nodes are counted against: the rollout target, or the pool's config while waiting. */
export function countingTarget(target: PoolTarget): RolloutTarget | undefined {
  switch (target.kind) {
    case "unrendered":
      return undefined;
    case "plain":
    case "layered":
      return target.target;
    case "waiting": {
      const image = target.mosc?.status?.currentImagePullSpec;
      return image === undefined ? { config: target.config } : { config: target.config, image };
    }
  }
}
