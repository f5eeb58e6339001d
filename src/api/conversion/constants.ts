// Names shared by the MachineOSConfig/MachineOSBuild conversions between v1alpha1 and v1.
// docs/api-versions.md explains each one to cluster administrators.

export const GROUP = "machineconfiguration.openshift.io";

export type ApiVersion = "v1" | "v1alpha1";

/**
 * Carried on v1 objects: JSON of the v1alpha1 fields v1 cannot show, keyed by v1alpha1 field path
 * (`{"spec.buildInputs.releaseVersion": "4.16.0"}`). Read back and removed when converting to v1alpha1.
 */
export const V1ALPHA1_FIELDS_ANNOTATION = "mob.openshift.io/v1alpha1-fields";

/**
 * Carried on v1alpha1 objects: JSON of the v1 fields v1alpha1 cannot show, keyed by v1 field path
 * (`{"status.machineOSBuild": {...}}`). Read back and removed when converting to v1.
 */
export const V1_FIELDS_ANNOTATION = "mob.openshift.io/v1-fields";

/**
 * The pull secret used for the base image when a v1 MachineOSConfig names none (MCO clones it from
 * openshift-config/pull-secret). v1alpha1 requires a name, so it shows this one.
 */
export const DEFAULT_BASE_IMAGE_PULL_SECRET = "global-pull-secret-copy";

/** Shown as v1alpha1 `status.buildStart` (required there) when v1 has none and no creationTimestamp. */
export const UNKNOWN_BUILD_START = "1970-01-01T00:00:00Z";

/** Defaults shown for v1alpha1 MachineOSBuild `spec.configGeneration` and `spec.version` (both ≥ 1). */
export const DEFAULT_CONFIG_GENERATION = 1;
export const DEFAULT_BUILD_VERSION = 1;

export const V1ALPHA1_IMAGE_BUILDER = "PodImageBuilder";
export const V1_IMAGE_BUILDER = "Job";

/** v1alpha1 `containerfileArch` → v1. Two pairs of v1alpha1 names are synonyms. */
export const ARCH_TO_V1: ReadonlyMap<string, string> = new Map([
  ["noarch", "NoArch"],
  ["amd64", "AMD64"],
  ["x86_64", "AMD64"],
  ["arm64", "ARM64"],
  ["aarch64", "ARM64"],
  ["ppc64le", "PPC64LE"],
  ["s390x", "S390X"],
]);

/** v1 `containerfileArch` → v1alpha1, choosing the Go-style names (`amd64`, `arm64`). */
export const ARCH_TO_V1ALPHA1: ReadonlyMap<string, string> = new Map([
  ["NoArch", "noarch"],
  ["AMD64", "amd64"],
  ["ARM64", "arm64"],
  ["PPC64LE", "ppc64le"],
  ["S390X", "s390x"],
]);

/** The v1 default of `containerfileArch`, which an entry without one stands for. */
export const V1_DEFAULT_ARCH = "NoArch";
