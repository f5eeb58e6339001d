// Names the drain controller and the daemon share beyond upstream's desiredDrain/lastAppliedDrain
// (those live in api/constants.ts). The failure annotations are mob-only: upstream's controller keeps
// retrying a stuck drain forever; mob gives up after a timeout, uncordons the node and says why here,
// so the daemon can turn it into a Degraded reason instead of waiting with the node cordoned.

import { DrainVerbs } from "../../api/constants.ts";

export const DRAIN_CONTROLLER = "drain-controller";
/** Events' source component, as upstream's node drain controller reports it. */
export const DRAIN_COMPONENT = "machineconfigcontroller-drainController";

export const DrainFailureAnnotations = {
  /** mob only: the desiredDrain value (`drain-<mc>`) that failed; a new request clears it. */
  failedDrain: "mob.openshift.io/failed-drain",
  /** mob only: `DrainTimeout: could not drain node …` (reason, colon, message). */
  drainFailure: "mob.openshift.io/drain-failure",
} as const;

export const DRAIN_TIMEOUT_REASON = "DrainTimeout";

/** Default time a drain may take before the controller gives up and uncordons (upstream waits 1 h). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10 * 60_000;
/** Default wait between eviction rounds while a PodDisruptionBudget answers 429. */
export const DEFAULT_EVICTION_RETRY_MS = 5_000;

/** Mirror (static) pods carry this annotation; the API server cannot evict them. */
export const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

export type DrainVerb = (typeof DrainVerbs)[keyof typeof DrainVerbs];

/** `drain-<mc>` / `uncordon-<mc>` → verb and config; undefined for anything else. */
export function parseDrainRequest(
  value: string | undefined,
): { verb: DrainVerb; config: string } | undefined {
  if (value === undefined) return undefined;
  for (const verb of [DrainVerbs.drain, DrainVerbs.uncordon]) {
    if (value.startsWith(`${verb}-`)) return { verb, config: value.slice(verb.length + 1) };
  }
  return undefined;
}

export function drainRequest(verb: DrainVerb, config: string): string {
  return `${verb}-${config}`;
}
