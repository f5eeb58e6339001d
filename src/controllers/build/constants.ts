// Names the build controller owns: its controller name, finalizer, event reasons, the pool's
// ImageBuildDegraded messages and mob's failure-step reasons. Upstream's names are kept (events,
// messages); mob-only names say so.

/** The controller's name (work queue, metrics, logs). */
export const BUILD_CONTROLLER = "build";

/** Events' source, as upstream's build controller reports itself. */
export const BUILD_COMPONENT = "machine-os-builder";

/**
 * mob only: held on every MachineOSBuild so its image and `digest-<mosb>` ConfigMap are removed
 * before the object goes. Upstream relies on `foregroundDeletion` plus a delete handler that runs
 * after the fact (and loses work on a controller restart); a finalizer makes the cleanup survive
 * restarts. `foregroundDeletion` is kept as well, as upstream sets it.
 */
export const IMAGE_CLEANUP_FINALIZER = "machineconfiguration.openshift.io/mob-image-cleanup";

/** mob only: build logs of every container, gzip-compressed, key in `build-log-<mosb>` binaryData. */
export const BUILD_LOG_KEY = "build.log.gz";

/** Event reasons (upstream's). */
export const BuildEvents = {
  BuildStarted: "BuildStarted",
  BuildPreparing: "BuildPreparing",
  BuildBuilding: "BuildBuilding",
  BuildCompleted: "BuildCompleted",
  BuildFailed: "BuildFailed",
  BuildInterrupted: "BuildInterrupted",
  BuildDeleted: "BuildDeleted",
  JobCreated: "JobCreated",
  JobDeleted: "JobDeleted",
  ConfigReconciled: "ConfigReconciled",
  ConfigReconcileFailed: "ConfigReconcileFailed",
  RebuildRequested: "RebuildRequested",
  BuildDegraded: "BuildDegraded",
  BuildRecovered: "BuildRecovered",
} as const;

/** Pool conditions that stop new builds (ImageBuildDegraded alone does not, so retries stay possible). */
export const BLOCKING_POOL_CONDITIONS = [
  "NodeDegraded",
  "RenderDegraded",
  "PinnedImageSetsDegraded",
  "PoolSynchronizerDegraded",
] as const;

/** The pool's ImageBuildDegraded message for a failed build (upstream's wording). */
export function buildFailedPoolMessage(pool: string, mosb: string): string {
  return `Failed to build OS image for pool ${pool} (MachineOSBuild: ${mosb}): Failed: Build Failed`;
}

/**
 * mob only: the step a failed build stopped at, classified from the failing container and its
 * output; the Failed condition's message starts with it.
 */
export type FailureStep =
  /** A registry secret is missing or invalid (found before any Job). */
  | "secrets"
  /** The Containerfile cannot be rendered or does not validate (found before any Job). */
  | "containerfile-validation"
  | "prepare"
  | "base-image-pull"
  | "containerfile"
  | "push"
  | "authentication"
  | "digest"
  | "unknown";

/** Lines of build output carried in the Failed condition's message. */
export const FAILURE_LOG_LINES = 20;
