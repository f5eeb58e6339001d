// MachineOSConfig v1alpha1 (Tech Preview: buildInputs/buildOutputs, PodImageBuilder) ↔ v1.
// Upstream never converted between the two; docs/api-versions.md is the user-facing table.

import { isPlainObject, type KubeObject } from "../object.ts";
import {
  type ApiVersion,
  DEFAULT_BASE_IMAGE_PULL_SECRET,
  V1_IMAGE_BUILDER,
  V1ALPHA1_IMAGE_BUILDER,
} from "./constants.ts";
import { containerFileToV1, containerFileToV1alpha1 } from "./containerfile.ts";
import { convertKind, type KindConversion } from "./convert.ts";
import type { ValueMap } from "./field-mapping.ts";

/** `{imageBuilderType: from}` → `{imageBuilderType: to}`; other values are kept as they are. */
function renameImageBuilderType(from: string, to: string): ValueMap {
  return (value) =>
    isPlainObject(value) && value.imageBuilderType === from
      ? { ...structuredClone(value), imageBuilderType: to }
      : structuredClone(value);
}

/**
 * v1alpha1 requires a base image pull secret; a v1 object without one builds with the cluster pull
 * secret copy, so v1alpha1 shows that name (and v1 gets it back as unset on the way back).
 */
const baseImagePullSecretToV1alpha1: ValueMap = (value) => value ?? { name: DEFAULT_BASE_IMAGE_PULL_SECRET };

/** v1alpha1 requires `status.observedGeneration` whenever there is a status. */
const observedGenerationToV1alpha1: ValueMap = (value) => value ?? 0;

export const MACHINE_OS_CONFIG: KindConversion = {
  kind: "MachineOSConfig",
  mappings: [
    { v1alpha1: "spec.machineConfigPool", v1: "spec.machineConfigPool" },
    {
      v1alpha1: "spec.buildInputs.imageBuilder",
      v1: "spec.imageBuilder",
      toV1: renameImageBuilderType(V1ALPHA1_IMAGE_BUILDER, V1_IMAGE_BUILDER),
      toV1alpha1: renameImageBuilderType(V1_IMAGE_BUILDER, V1ALPHA1_IMAGE_BUILDER),
    },
    {
      v1alpha1: "spec.buildInputs.baseImagePullSecret",
      v1: "spec.baseImagePullSecret",
      toV1alpha1: baseImagePullSecretToV1alpha1,
    },
    { v1alpha1: "spec.buildInputs.renderedImagePushSecret", v1: "spec.renderedImagePushSecret" },
    { v1alpha1: "spec.buildInputs.renderedImagePushspec", v1: "spec.renderedImagePushSpec" },
    // v1 dropped these: the MCO takes the base images and release version from the release payload.
    { v1alpha1: "spec.buildInputs.baseOSImagePullspec" },
    { v1alpha1: "spec.buildInputs.baseOSExtensionsImagePullspec" },
    { v1alpha1: "spec.buildInputs.releaseVersion" },
    {
      v1alpha1: "spec.buildInputs.containerFile",
      v1: "spec.containerFile",
      toV1: containerFileToV1,
      toV1alpha1: containerFileToV1alpha1,
    },
    // v1 dropped buildOutputs: nodes pull with the merged global and internal-registry secret.
    { v1alpha1: "spec.buildOutputs" },
    { v1alpha1: "status.conditions", v1: "status.conditions" },
    {
      v1alpha1: "status.observedGeneration",
      v1: "status.observedGeneration",
      toV1alpha1: observedGenerationToV1alpha1,
    },
    { v1alpha1: "status.currentImagePullspec", v1: "status.currentImagePullSpec" },
    { v1: "status.machineOSBuild" },
  ],
};

/**
 * Converts a MachineOSConfig between v1alpha1 and v1 without touching the input. Fields the target
 * version cannot show are preserved in the `mob.openshift.io/v1alpha1-fields` (on v1 objects) or
 * `mob.openshift.io/v1-fields` (on v1alpha1 objects) annotation, so a round trip is lossless.
 * Throws ConversionError for another kind or apiVersion.
 */
export function convertMachineOSConfig(object: KubeObject, toVersion: ApiVersion): KubeObject {
  return convertKind(object, toVersion, MACHINE_OS_CONFIG);
}
