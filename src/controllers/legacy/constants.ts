// Names of the 4.14 developer-preview opt-in ("legacy"): upstream's ConfigMaps, keys and mirrored
// object prefixes (from the MCO's 4.14 on-cluster-builds documentation), and mob's own marker for
// the MachineOSConfigs this controller manages. The pool label and annotation live in
// api/constants.ts (PoolKeys.layeringEnabled, PoolKeys.newestImageEquivalentConfig).

/** The controller's name (work queue, metrics, logs). */
export const LEGACY_CONTROLLER = "legacy";

/** ConfigMaps in MCO_NAMESPACE an administrator writes (upstream's names). */
export const LegacyConfigMaps = {
  /** Registry settings shared by every opted-in pool (keys: BuildConfigKeys). */
  buildConfig: "on-cluster-build-config",
  /** Optional; key = pool name, value = that pool's custom Dockerfile (`FROM configs AS final` ...). */
  customDockerfile: "on-cluster-build-custom-dockerfile",
} as const;

/** Keys of the `on-cluster-build-config` ConfigMap; all three are required, as in 4.14. */
export const BuildConfigKeys = {
  /** Secret (in MCO_NAMESPACE) to pull the base OS image → MOSC spec.baseImagePullSecret. */
  baseImagePullSecretName: "baseImagePullSecretName",
  /** Secret (in MCO_NAMESPACE) to push the built image → MOSC spec.renderedImagePushSecret. */
  finalImagePushSecretName: "finalImagePushSecretName",
  /** Where to push, `host[:port]/repo[:tag]` (tag ignored) → MOSC spec.renderedImagePushSpec. */
  finalImagePullspec: "finalImagePullspec",
} as const;

/**
 * mob only: label on the MachineOSConfigs (and mirrored ConfigMaps) this controller created. Only
 * objects carrying it are ever changed or deleted, so a user's own MachineOSConfig is left alone.
 */
export const MANAGED_BY_LABEL = "mob.openshift.io/managed-by";
export const MANAGED_BY_VALUE = "legacy-layering";

/** ConfigMaps shown while a build runs, named after the rendered MachineConfig (4.14 names). */
export const MirrorPrefixes = {
  /** `dockerfile-<rendered>`, key Dockerfile: the rendered Containerfile. */
  dockerfile: "dockerfile-",
  /** `mc-<rendered>`, key machineconfig.json.gz: base64 of the gzipped MachineConfig. */
  machineConfig: "mc-",
} as const;

/** Key of the rendered Dockerfile in `dockerfile-<rendered>`. */
export const DOCKERFILE_KEY = "Dockerfile";

/** mob only: ImageBuildDegraded reason while the opt-in ConfigMaps are missing or invalid. */
export const INVALID_CONFIG_REASON = "InvalidLayeringConfig";

/** mob only: ImageBuildDegraded reason once a pool with an invalid opt-in is no longer opted in. */
export const OPTED_OUT_REASON = "LayeringDisabled";

/** Event reasons (mob only; recorded on the pool). */
export const LegacyEvents = {
  MachineOSConfigCreated: "MachineOSConfigCreated",
  MachineOSConfigUpdated: "MachineOSConfigUpdated",
  MachineOSConfigDeleted: "MachineOSConfigDeleted",
  InvalidLayeringConfig: "InvalidLayeringConfig",
  UnmanagedMachineOSConfig: "UnmanagedMachineOSConfig",
} as const;
