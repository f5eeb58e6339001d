// Deterministic names of a build and its objects. A MachineOSBuild is `<mosc>-<md5hex>` over the
// canonical JSON of what goes into the image (upstream §2.3, without the render salt and with
// canonical JSON instead of YAML): the pool's spec.configuration, the MachineOSConfig's spec, and
// the base images and release version of the rendered MachineConfig. The pool's `paused` and
// anything else in the pool are not inputs, so pausing never renames a build.

import { createHash } from "node:crypto";
import { MachineConfigKeys, NamePrefixes } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import { canonicalJson } from "../../ignition/index.ts";
import { formatImageReference, parseImageReference, withDigest } from "../../registry/reference.ts";

export interface BuildNameInputs {
  mosc: MachineOSConfig;
  pool: MachineConfigPool;
  /** The rendered MachineConfig named by the pool's spec.configuration. */
  machineConfig: MachineConfig;
}

export class BuildInputsError extends Error {
  override readonly name = "BuildInputsError";
}

/** `<mosc>-<md5hex>`; throws BuildInputsError when an input is missing or the pool is not the MOSC's. */
export function machineOSBuildName(inputs: BuildNameInputs): string {
  const { mosc, pool, machineConfig } = inputs;
  const moscName = mosc.metadata.name ?? "";
  const poolName = pool.metadata.name ?? "";
  if (mosc.spec.machineConfigPool.name !== poolName) {
    throw new BuildInputsError(
      `MachineOSConfig ${moscName} is for pool ${mosc.spec.machineConfigPool.name}, not ${poolName}`,
    );
  }
  const configuration = pool.spec.configuration;
  if (configuration?.name === undefined || configuration.name === "") {
    throw new BuildInputsError(`pool ${poolName} has no rendered configuration yet`);
  }
  if (machineConfig.metadata.name !== configuration.name) {
    throw new BuildInputsError(
      `MachineConfig ${machineConfig.metadata.name ?? ""} is not the pool's ${configuration.name}`,
    );
  }
  const images = {
    BaseOSContainerImage: machineConfig.spec?.osImageURL ?? "",
    BaseOSExtensionsContainerImage: machineConfig.spec?.baseOSExtensionsContainerImage ?? "",
    OSImageURL: "",
    ReleaseVersion: machineConfig.metadata.annotations?.[MachineConfigKeys.releaseImageVersion] ?? "",
  };
  const hash = createHash("md5");
  for (const part of [configuration, mosc.spec, images]) hash.update(`${canonicalJson(part)}\n`);
  return `${moscName}-${hash.digest("hex")}`;
}

/** The MOSC push spec with its tag replaced by the build's name. */
export function taggedPushSpec(renderedImagePushSpec: string, mosbName: string): string {
  const ref = parseImageReference(renderedImagePushSpec);
  return formatImageReference({ ...ref, tag: mosbName, digest: undefined });
}

/** `<repo>@sha256:…` of a push spec and a digest. */
export function digestedPushSpec(pushSpec: string, digest: string): string {
  return formatImageReference(withDigest(parseImageReference(pushSpec), digest));
}

export const jobName = (mosb: string): string => `${NamePrefixes.buildJob}${mosb}`;
export const containerfileConfigMapName = (mosb: string): string => `${NamePrefixes.containerfile}${mosb}`;
export const machineConfigConfigMapName = (mosb: string): string => `${NamePrefixes.machineConfig}${mosb}`;
export const digestConfigMapName = (mosb: string): string => `${NamePrefixes.digest}${mosb}`;
export const basePullSecretName = (mosb: string): string => `${NamePrefixes.basePullSecret}${mosb}`;
export const finalPushSecretName = (mosb: string): string => `${NamePrefixes.finalPushSecret}${mosb}`;
export const buildLogConfigMapName = (mosb: string): string => `${NamePrefixes.buildLog}${mosb}`;
