// MachineOSBuild v1alpha1 ↔ v1. Upstream never converted between the two; docs/api-versions.md is
// the user-facing table.

import type { KubeObject } from "../object.ts";
import { builderToV1, builderToV1alpha1, relatedObjectsToV1 } from "./builder.ts";
import {
  type ApiVersion,
  DEFAULT_BUILD_VERSION,
  DEFAULT_CONFIG_GENERATION,
  UNKNOWN_BUILD_START,
} from "./constants.ts";
import { convertKind, type KindConversion } from "./convert.ts";
import type { ValueMap } from "./field-mapping.ts";

/**
 * v1alpha1 requires `status.buildStart` whenever there is a status. The MCO sets it when it creates
 * the build, so a v1 build without one shows its creation time.
 */
const buildStartToV1alpha1: ValueMap = (value, { metadata }) =>
  value ?? metadata.creationTimestamp ?? UNKNOWN_BUILD_START;

export const MACHINE_OS_BUILD: KindConversion = {
  kind: "MachineOSBuild",
  mappings: [
    // Required (≥ 1) in v1alpha1 and gone in v1; v1-born builds show 1.
    { v1alpha1: "spec.configGeneration", toV1alpha1: (value) => value ?? DEFAULT_CONFIG_GENERATION },
    { v1alpha1: "spec.desiredConfig", v1: "spec.machineConfig" },
    { v1alpha1: "spec.machineOSConfig", v1: "spec.machineOSConfig" },
    { v1alpha1: "spec.version", toV1alpha1: (value) => value ?? DEFAULT_BUILD_VERSION },
    { v1alpha1: "spec.renderedImagePushspec", v1: "spec.renderedImagePushSpec" },
    { v1alpha1: "status.conditions", v1: "status.conditions" },
    {
      v1alpha1: "status.builderReference",
      v1: "status.builder",
      toV1: builderToV1,
      toV1alpha1: builderToV1alpha1,
    },
    { v1alpha1: "status.relatedObjects", v1: "status.relatedObjects", toV1: relatedObjectsToV1 },
    { v1alpha1: "status.buildStart", v1: "status.buildStart", toV1alpha1: buildStartToV1alpha1 },
    { v1alpha1: "status.buildEnd", v1: "status.buildEnd" },
    { v1alpha1: "status.finalImagePullspec", v1: "status.digestedImagePushSpec" },
  ],
};

/**
 * Converts a MachineOSBuild between v1alpha1 and v1 without touching the input, preserving what
 * the target cannot show in the same annotations as convertMachineOSConfig. Throws
 * ConversionError for another kind or apiVersion.
 */
export function convertMachineOSBuild(object: KubeObject, toVersion: ApiVersion): KubeObject {
  return convertKind(object, toVersion, MACHINE_OS_BUILD);
}
