// How embedded mode runs image builds: Jobs on the host kubelet's node that run mob's own CLI with
// the host's buildah, and a layer cache kept across builds in the state directory. The options go
// to the build controller in `mob up`'s process; the flags give a separate `mob controller` the same.

import { resolve } from "node:path";
import type { BuildJobOptions } from "../controllers/build/job.ts";
import { DEFAULT_NODE_NAME } from "./scheduler.ts";

/** The mob CLI build pods run on the host (its absolute path). */
export const MOB_COMMAND = resolve(import.meta.dirname, "../../bin/mob");

/** The build containers' image name (the host kubelet runs them on the host, it pulls nothing). */
const BUILDER_IMAGE = "localhost/mob:embedded";

function layerCache(dir: string): string {
  return resolve(dir, "buildah-cache");
}

export function embeddedBuildOptions(dir: string): BuildJobOptions {
  return {
    mobCommand: MOB_COMMAND,
    builderImage: BUILDER_IMAGE,
    imagePullPolicy: "IfNotPresent",
    buildahStorage: { kind: "hostPath", path: layerCache(dir) },
    nodeName: DEFAULT_NODE_NAME,
  };
}

/** `mob controller` flags giving it embeddedBuildOptions(dir). */
export function embeddedBuildArgs(dir: string): string[] {
  return [
    "--builder-image",
    BUILDER_IMAGE,
    "--builder-command",
    MOB_COMMAND,
    "--builder-layer-cache",
    layerCache(dir),
    "--builder-node",
    DEFAULT_NODE_NAME,
  ];
}
