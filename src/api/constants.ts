// Every name mob shares with OpenShift's Machine Config Operator: API group, namespace, labels,
// annotations, finalizers, condition types and reasons, node states, object names and prefixes.
// They are part of the compatibility contract (tools and users key on them), so the values are
// upstream's, spelled exactly; mob-only names say so.

export const GROUP = "machineconfiguration.openshift.io";
export const V1 = `${GROUP}/v1`;
export const V1ALPHA1 = `${GROUP}/v1alpha1`;

/** Where build Jobs, ConfigMaps, Secrets and the builder run. */
export const MCO_NAMESPACE = "openshift-machine-config-operator";

/** Prefix of every MCO label and annotation key. */
const MCO = "machineconfiguration.openshift.io/";

/** Annotations the node controller and the daemon put on Nodes. */
export const NodeAnnotations = {
  /** The rendered MachineConfig the node runs (set by the daemon). */
  currentConfig: `${MCO}currentConfig`,
  /** The rendered MachineConfig the node should run (set by the node controller). */
  desiredConfig: `${MCO}desiredConfig`,
  /** Digested image the node runs; absent unless the node's pool is layered. */
  currentImage: `${MCO}currentImage`,
  /** Digested image the node should run; removing it reverts the node to the base image. */
  desiredImage: `${MCO}desiredImage`,
  /** One of NodeStates. */
  state: `${MCO}state`,
  /** Why the node is Degraded or Unreconcilable; empty once Done. */
  reason: `${MCO}reason`,
  /** `drain-<mc>` or `uncordon-<mc>`, requested by the daemon. */
  desiredDrain: `${MCO}desiredDrain`,
  /** The desiredDrain value the drain controller last completed. */
  lastAppliedDrain: `${MCO}lastAppliedDrain`,
  /** `Rebooting` while the daemon reboots into a new config. */
  postConfigAction: `${MCO}post-config-action`,
  firstPivotConfig: `${MCO}firstPivotConfig`,
  controlPlaneTopology: `${MCO}controlPlaneTopology`,
  customPoolLabelsApplied: `${MCO}customPoolLabelsApplied`,
} as const;

/** Values of NodeAnnotations.state. */
export const NodeStates = {
  Done: "Done",
  Working: "Working",
  Degraded: "Degraded",
  Rebooting: "Rebooting",
  Unreconcilable: "Unreconcilable",
} as const;
export type NodeState = (typeof NodeStates)[keyof typeof NodeStates];

/** Values of NodeAnnotations.postConfigAction. */
export const PostConfigActions = { Rebooting: "Rebooting" } as const;

/** Verbs of desiredDrain/lastAppliedDrain values (`<verb>-<rendered mc>`). */
export const DrainVerbs = { drain: "drain", uncordon: "uncordon" } as const;

/** Put on nodes that are not at their pool's target yet. */
export const UPDATE_IN_PROGRESS_TAINT = { key: "UpdateInProgress", effect: "PreferNoSchedule" } as const;

/** Node role labels: `node-role.kubernetes.io/<pool>` puts a node in the pool of that name. */
export const NODE_ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";

/** Labels and annotations on MachineConfigs. */
export const MachineConfigKeys = {
  /** Label: the pool role a MachineConfig is for (`worker`, `master`, ...). */
  role: `${MCO}role`,
  /** Annotation on rendered configs: version of the controller that rendered it. */
  generatedByControllerVersion: `${MCO}generated-by-controller-version`,
  /** Annotation on rendered configs: the release image version; a build needs it. */
  releaseImageVersion: `${MCO}release-image-version`,
  osImageURLOverridden: `${MCO}os-image-url-overridden`,
  /** Daemon bookkeeping when an image replaces a config's osImageURL. */
  originalOSImageURL: `${MCO}original-osimageurl`,
  oclOSImageURL: `${MCO}ocl-osimageurl`,
} as const;

/** Annotation on ControllerConfig: version of the operator that wrote it. */
export const CONTROLLER_CONFIG_GENERATED_BY_VERSION = `${MCO}generated-by-version`;

/** Labels and annotations on MachineConfigPools. */
export const PoolKeys = {
  /** Label prefix `pools.operator.machineconfiguration.openshift.io/<pool>` matched by Kubelet/CRC selectors. */
  poolSelectorPrefix: "pools.operator.machineconfiguration.openshift.io/",
  /** Label on the built-in master/worker pools. */
  builtIn: `${MCO}mco-built-in`,
  /** Label: 4.14-style opt-in to layering (still honoured). */
  layeringEnabled: `${MCO}layering-enabled`,
  /** Label: 4.14-style rebuild request. */
  rebuildImage: `${MCO}rebuildImage`,
  /** Annotation: 4.14-style result, the newest image equivalent to the pool's config. */
  newestImageEquivalentConfig: `${MCO}newestImageEquivalentConfig`,
} as const;

/** Annotations on MachineOSConfigs. */
export const MachineOSConfigAnnotations = {
  /** Name of the MachineOSBuild currently serving the config. */
  currentMachineOSBuild: `${MCO}current-machine-os-build`,
  /** Presence asks for the current build to be deleted and run again; removed once handled. */
  rebuild: `${MCO}rebuild`,
  /** A digested image built elsewhere, used instead of a first build (install-time seeding). */
  preBuiltImage: `${MCO}pre-built-image`,
} as const;

/** Labels and annotations on MachineOSBuilds and on the objects a build creates. */
export const BuildKeys = {
  /** Label: the pool the build is for. */
  targetMachineConfigPool: `${MCO}target-machine-config-pool`,
  /** Label: the rendered MachineConfig the build bakes in. */
  renderedMachineConfig: `${MCO}rendered-machine-config`,
  /** Label and annotation: the MachineOSConfig name. */
  machineOSConfig: `${MCO}machine-os-config`,
  /** Label and annotation on build objects: the MachineOSBuild name. */
  machineOSBuild: `${MCO}machine-os-build`,
  /** Label on MachineOSBuilds seeded from a pre-built image (value "true"). */
  preBuiltImage: `${MCO}pre-built-image`,
  /** Annotation on MachineOSBuilds: push secret name, for deleting the image later. */
  renderedImagePushSecret: `${MCO}rendered-image-push-secret`,
  /** Annotation: UID of the build Job, so cleanup never deletes a newer Job of the same name. */
  jobUID: `${MCO}job-uid`,
  /** Label (value ""): a temporary object deleted when the build succeeds. */
  ephemeralBuildObject: `${MCO}ephemeral-build-object`,
  /** Label (value ""): any object created for on-cluster layering. */
  onClusterLayering: `${MCO}on-cluster-layering`,
  hasEtcPkiEntitlement: `${MCO}has-etc-pki-entitlement`,
  hasEtcYumReposD: `${MCO}has-etc-yum-repos-d`,
  hasEtcPkiRpmGpg: `${MCO}has-etc-pki-rpm-gpg`,
} as const;

/** Labels on Secrets converted to dockerconfigjson for a build. */
export const SecretKeys = {
  canonicalizedSecret: `${MCO}canonicalizedSecret`,
  originalSecretName: `${MCO}originalSecretName`,
} as const;

/** MachineOSBuilds carry it so their Job and objects go before they do. */
export const FOREGROUND_DELETION_FINALIZER = "foregroundDeletion";

/** Labels on the operator's CRDs. */
export const OPERATOR_MANAGED_LABEL = "openshift.io/operator-managed";

/** MachineOSBuild condition types; every status write sets all five, at most one True. */
export const BuildConditionTypes = {
  Prepared: "Prepared",
  Building: "Building",
  Failed: "Failed",
  Interrupted: "Interrupted",
  Succeeded: "Succeeded",
} as const;
export type BuildConditionType = (typeof BuildConditionTypes)[keyof typeof BuildConditionTypes];

/** Reason and message of each MachineOSBuild condition type when it is True. */
export const BuildConditionTexts = {
  Prepared: { reason: "Prepared", message: "Build Prepared and Pending" },
  Building: { reason: "Building", message: "Image Build In Progress" },
  Failed: { reason: "Failed", message: "Build Failed" },
  Interrupted: { reason: "Interrupted", message: "Build Interrupted" },
  Succeeded: { reason: "Ready", message: "Build Ready" },
} as const satisfies Record<BuildConditionType, { reason: string; message: string }>;

/** MachineOSConfig condition set when a pre-built image seeds the config. */
export const SEEDED_CONDITION = { type: "Seeded", reason: "PreBuiltImageSeeded" } as const;

/** MachineConfigPool condition types. */
export const PoolConditionTypes = {
  Updated: "Updated",
  Updating: "Updating",
  Degraded: "Degraded",
  NodeDegraded: "NodeDegraded",
  RenderDegraded: "RenderDegraded",
  ImageBuildDegraded: "ImageBuildDegraded",
  PinnedImageSetsDegraded: "PinnedImageSetsDegraded",
  PoolSynchronizerDegraded: "PoolSynchronizerDegraded",
  BuildPending: "BuildPending",
  Building: "Building",
  BuildSuccess: "BuildSuccess",
  BuildFailed: "BuildFailed",
  BuildInterrupted: "BuildInterrupted",
} as const;
export type PoolConditionType = (typeof PoolConditionTypes)[keyof typeof PoolConditionTypes];

/** Reasons of the pool's ImageBuildDegraded condition (True only for BuildFailed). */
export const ImageBuildDegradedReasons = {
  BuildFailed: "BuildFailed",
  Building: "Building",
  BuildSuccess: "BuildSuccess",
  BuildPending: "BuildPending",
  NoLayeredObjects: "NoLayeredObjects",
} as const;

/** ControllerConfig condition types. */
export const ControllerConfigConditionTypes = {
  TemplateControllerRunning: "TemplateControllerRunning",
  TemplateControllerCompleted: "TemplateControllerCompleted",
  TemplateControllerFailing: "TemplateControllerFailing",
} as const;

/** KubeletConfig (Accepted; Success/Failure deprecated) and ContainerRuntimeConfig (Success/Failure). */
export const ConfigConditionTypes = { Accepted: "Accepted", Success: "Success", Failure: "Failure" } as const;

/** Names of singleton objects. */
export const ObjectNames = {
  /** The ControllerConfig the controllers read. */
  controllerConfig: "machine-config-controller",
  /** Copy of openshift-config/pull-secret used when a MOSC has no baseImagePullSecret. */
  globalPullSecretCopy: "global-pull-secret-copy",
  /** ConfigMap with the MCO images (key images.json); the builder image comes from it. */
  operatorImages: "machine-config-operator-images",
  /** ServiceAccount and Deployment of the build controller. */
  machineOSBuilder: "machine-os-builder",
  /** Optional build inputs, used when they exist in MCO_NAMESPACE. */
  etcYumReposD: "etc-yum-repos-d",
  etcPkiRpmGpg: "etc-pki-rpm-gpg",
} as const;

/** Name prefixes; the rest of the name is the owner's name or a hash. */
export const NamePrefixes = {
  /** Rendered MachineConfig `rendered-<pool>-<md5hex>`. */
  renderedConfig: "rendered-",
  /** Job `build-<mosb>`. */
  buildJob: "build-",
  /** ConfigMap `containerfile-<mosb>` (key Containerfile). */
  containerfile: "containerfile-",
  /** ConfigMap `mc-<mosb>` (key machineconfig.json.gz). */
  machineConfig: "mc-",
  /** ConfigMap `digest-<mosb>` (key digest), written by the build pod; outlives the build. */
  digest: "digest-",
  /** Secret `base-<mosb>`: canonical pull secret for the base image. */
  basePullSecret: "base-",
  /** Secret `final-<mosb>`: canonical push secret for the built image. */
  finalPushSecret: "final-",
  /** ConfigMap `additionaltrustbundle-<mosb>`. */
  additionalTrustBundle: "additionaltrustbundle-",
  /** ConfigMaps `etc-policy-<mosb>` and `etc-registries-<mosb>`, only when the config has them. */
  etcPolicy: "etc-policy-",
  etcRegistries: "etc-registries-",
  /** Secret `etc-pki-entitlement-<pool>`. */
  etcPkiEntitlement: "etc-pki-entitlement-",
  /** mob only: ConfigMap `build-log-<mosb>` keeping the build log after the Job is cleaned up. */
  buildLog: "build-log-",
  /** MachineConfig that pins a pool to a seeded pre-built image. */
  preBuiltImageConfig: "10-prebuiltimage-osimageurl-",
} as const;

/** Keys inside the build ConfigMaps. */
export const BuildDataKeys = {
  containerfile: "Containerfile",
  machineConfig: "machineconfig.json.gz",
  digest: "digest",
  additionalTrustBundle: "openshift-config-user-ca-bundle.crt",
  operatorImages: "images.json",
} as const;

/** Labels the Containerfile puts on built images. */
export const ImageLabels = {
  machineConfig: "machineconfig",
  machineConfigPool: "machineconfigpool",
  baseOSContainerImage: "baseOSContainerImage",
  /** mob only: hash of the build's inputs, to tell whether an image matches a MachineOSBuild. */
  buildInputsHash: "io.mob.build-inputs-hash",
} as const;

/** Containers of the build pod. */
export const BuildContainers = {
  imageBuild: "image-build",
  createDigestConfigMap: "create-digest-configmap",
} as const;
