// Test support: schema-valid MachineOSConfig and MachineOSBuild objects of both versions, varied by
// a seeded PRNG so every run checks the same objects.

import type { KubeObject } from "../object.ts";
import { GROUP } from "./constants.ts";
import {
  conditions,
  containerfileContent,
  digestSpec,
  metadata,
  NAMESPACE,
  poolName,
  pushSpec,
  type Random,
  secretName,
  timestamp,
} from "./random.fixture.ts";

/** Each v1 arch with its v1alpha1 spellings. */
const ARCHES: readonly (readonly [string, readonly string[]])[] = [
  ["NoArch", ["noarch"]],
  ["AMD64", ["amd64", "x86_64"]],
  ["ARM64", ["arm64", "aarch64"]],
  ["PPC64LE", ["ppc64le"]],
  ["S390X", ["s390x"]],
];
const BUILD_CONDITIONS = ["Prepared", "Building", "Succeeded", "Interrupted", "Failed"] as const;

function optional(random: Random, name: string, value: () => unknown): Record<string, unknown> {
  return random.chance() ? { [name]: value() } : {};
}

/** At most four v1 arches, so the v1 form stays within v1's limit; synonyms may both appear. */
function v1alpha1ContainerFile(random: Random): Record<string, unknown>[] {
  const entries = random
    .sample(ARCHES, random.int(0, 4))
    .flatMap(([, spellings]) => random.sample(spellings, random.chance(0.3) ? 2 : 1));
  return random.sample(entries, entries.length).map((arch) => ({
    containerfileArch: arch,
    content: containerfileContent(random),
  }));
}

export function v1alpha1MachineOSConfig(random: Random): KubeObject {
  const pool = poolName(random);
  return {
    apiVersion: `${GROUP}/v1alpha1`,
    kind: "MachineOSConfig",
    metadata: metadata(random, pool),
    spec: {
      machineConfigPool: { name: pool },
      buildInputs: {
        imageBuilder: { imageBuilderType: "PodImageBuilder" },
        baseImagePullSecret: { name: secretName(random) },
        renderedImagePushSecret: { name: secretName(random) },
        renderedImagePushspec: pushSpec(random),
        ...optional(random, "baseOSImagePullspec", () => digestSpec(random)),
        ...optional(random, "baseOSExtensionsImagePullspec", () => digestSpec(random)),
        ...optional(random, "releaseVersion", () => `4.16.0-0.nightly-2024-04-0${random.int(1, 9)}-065948`),
        ...optional(random, "containerFile", () => v1alpha1ContainerFile(random)),
      },
      ...optional(random, "buildOutputs", () =>
        random.chance(0.8) ? { currentImagePullSecret: { name: secretName(random) } } : {},
      ),
    },
    ...optional(random, "status", () => ({
      ...optional(random, "conditions", () => conditions(random, ["Seeded"])),
      observedGeneration: random.int(0, 9),
      ...optional(random, "currentImagePullspec", () => digestSpec(random)),
    })),
  };
}

export function v1MachineOSConfig(random: Random): KubeObject {
  const pool = poolName(random);
  return {
    apiVersion: `${GROUP}/v1`,
    kind: "MachineOSConfig",
    metadata: metadata(random, pool),
    spec: {
      machineConfigPool: { name: pool },
      imageBuilder: { imageBuilderType: "Job" },
      ...optional(random, "baseImagePullSecret", () => ({ name: secretName(random) })),
      renderedImagePushSecret: { name: secretName(random) },
      renderedImagePushSpec: pushSpec(random),
      ...optional(random, "containerFile", () =>
        random.sample(ARCHES, random.int(0, 4)).map(([arch]) => ({
          containerfileArch: arch,
          content: containerfileContent(random),
        })),
      ),
    },
    ...optional(random, "status", () => ({
      ...optional(random, "conditions", () => conditions(random, ["Seeded"])),
      ...optional(random, "observedGeneration", () => random.int(0, 9)),
      ...optional(random, "currentImagePullSpec", () => digestSpec(random)),
      ...optional(random, "machineOSBuild", () => ({
        group: GROUP,
        resource: "machineosbuilds",
        name: `${pool}-${random.hex(32)}`,
      })),
    })),
  };
}

function buildTimes(random: Random): Record<string, unknown> {
  const start = timestamp(random);
  return { buildStart: start, ...optional(random, "buildEnd", () => timestamp(random, start)) };
}

/** ConfigMaps and Secrets of the core group ("") as the MCO names them, plus a few others. */
function v1alpha1RelatedObjects(random: Random, name: string): Record<string, unknown>[] {
  return Array.from({ length: random.int(0, 4) }, () => ({
    group: random.pick(["", "", "batch"]),
    resource: random.pick(["configmaps", "secrets", "jobs"]),
    namespace: NAMESPACE,
    name: random.pick([`containerfile-${name}`, `mc-${name}`, `etc-policy-${name}`]),
  }));
}

export function v1alpha1MachineOSBuild(random: Random): KubeObject {
  const pool = poolName(random);
  const name = `${pool}-${random.hex(32)}`;
  return {
    apiVersion: `${GROUP}/v1alpha1`,
    kind: "MachineOSBuild",
    metadata: metadata(random, name),
    spec: {
      configGeneration: random.chance() ? 1 : random.int(2, 9),
      desiredConfig: { name: `rendered-${pool}-${random.hex(32)}` },
      machineOSConfig: { name: pool },
      version: random.chance() ? 1 : random.int(2, 4),
      renderedImagePushspec: pushSpec(random, name),
    },
    ...optional(random, "status", () => ({
      ...optional(random, "conditions", () => conditions(random, BUILD_CONDITIONS)),
      ...optional(random, "builderReference", () => ({
        imageBuilderType: "PodImageBuilder",
        ...optional(random, "buildPod", () =>
          random.chance(0.7)
            ? { group: "", resource: "pods", namespace: NAMESPACE, name: `build-${name}` }
            : { group: "batch", resource: "jobs", namespace: NAMESPACE, name: `build-${name}` },
        ),
      })),
      ...optional(random, "relatedObjects", () => v1alpha1RelatedObjects(random, name)),
      ...buildTimes(random),
      ...optional(random, "finalImagePullspec", () => digestSpec(random)),
    })),
  };
}

export function v1MachineOSBuild(random: Random): KubeObject {
  const pool = poolName(random);
  const name = `${pool}-${random.hex(32)}`;
  const related = random.sample(["configmaps", "secrets", "jobs"], random.int(0, 3));
  return {
    apiVersion: `${GROUP}/v1`,
    kind: "MachineOSBuild",
    metadata: metadata(random, name),
    spec: {
      machineConfig: { name: `rendered-${pool}-${random.hex(32)}` },
      machineOSConfig: { name: pool },
      renderedImagePushSpec: pushSpec(random, name),
    },
    ...optional(random, "status", () => ({
      ...optional(random, "conditions", () => conditions(random, BUILD_CONDITIONS)),
      ...optional(random, "builder", () => ({
        imageBuilderType: "Job",
        job: { group: "batch", resource: "jobs", namespace: NAMESPACE, name: `build-${name}` },
      })),
      ...optional(random, "relatedObjects", () =>
        related.map((resource) => ({
          group: "batch",
          resource,
          namespace: NAMESPACE,
          name: `${resource}-${name}`,
        })),
      ),
      ...(random.chance(0.8) ? buildTimes(random) : {}),
      ...optional(random, "digestedImagePushSpec", () => digestSpec(random)),
    })),
  };
}
