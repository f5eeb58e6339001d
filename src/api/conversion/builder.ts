// MachineOSBuild builder references: v1alpha1 `status.builderReference{imageBuilderType
// PodImageBuilder, buildPod}` ↔ v1 `status.builder{imageBuilderType Job, job}`, and the
// `status.relatedObjects` lists. Both versions use the same {group, resource, namespace, name}
// references; v1 validates them more tightly.

import { isPlainObject } from "../object.ts";
import { V1_IMAGE_BUILDER, V1ALPHA1_IMAGE_BUILDER } from "./constants.ts";
import type { ValueMap } from "./field-mapping.ts";

/** v1 `status.relatedObjects` holds at most this many references. */
const MAX_V1_RELATED_OBJECTS = 10;

/**
 * v1alpha1 `buildPod` → v1 `job`. The MCO's Pod builder pointed at a Pod (group "", resource pods);
 * v1 requires a non-empty group and names a Job, so such a reference becomes the Job of the same
 * namespace and name (the engine preserves the original). Other references are copied.
 */
function jobReference(buildPod: unknown): unknown {
  if (!isPlainObject(buildPod) || buildPod.group !== "" || buildPod.resource !== "pods") {
    return structuredClone(buildPod);
  }
  return { ...structuredClone(buildPod), group: "batch", resource: "jobs" };
}

/**
 * A PodImageBuilder reference without a buildPod has no v1 form (v1 requires `job` with `Job`), so
 * v1 shows no builder yet, which is also how v1 reads before the build Job exists.
 */
export const builderToV1: ValueMap = (value) => {
  if (!isPlainObject(value)) return structuredClone(value);
  const { buildPod, ...rest } = structuredClone(value);
  if (value.imageBuilderType === V1ALPHA1_IMAGE_BUILDER) {
    return buildPod === undefined
      ? undefined
      : { ...rest, imageBuilderType: V1_IMAGE_BUILDER, job: jobReference(buildPod) };
  }
  return buildPod === undefined ? rest : { ...rest, job: buildPod };
};

/** v1 → v1alpha1: `Job` becomes `PodImageBuilder`; `buildPod` names the build Job (mob has no build Pod of its own). */
export const builderToV1alpha1: ValueMap = (value) => {
  if (!isPlainObject(value)) return structuredClone(value);
  const { job, ...rest } = structuredClone(value);
  if (value.imageBuilderType === V1_IMAGE_BUILDER) rest.imageBuilderType = V1ALPHA1_IMAGE_BUILDER;
  return job === undefined ? rest : { ...rest, buildPod: job };
};

/**
 * v1alpha1 → v1 related objects: v1 accepts only references with a non-empty group, unique by
 * name and resource, at most ten. Others are left out of v1 (status is informational; the engine
 * preserves the full v1alpha1 list) rather than making every status write fail v1 validation.
 */
export const relatedObjectsToV1: ValueMap = (value) => {
  if (!Array.isArray(value)) return structuredClone(value);
  const seen = new Set<string>();
  const result: unknown[] = [];
  for (const reference of value) {
    if (!isPlainObject(reference) || typeof reference.group !== "string" || reference.group === "") continue;
    const key = JSON.stringify([reference.name, reference.resource]);
    if (seen.has(key) || result.length === MAX_V1_RELATED_OBJECTS) continue;
    seen.add(key);
    result.push(structuredClone(reference));
  }
  return result;
};
