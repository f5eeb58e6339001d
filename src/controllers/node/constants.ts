// Names the node controller owns: its controller name, event reasons, condition reasons and
// messages, and rollout defaults. Upstream's spellings are kept; mob-only names say so.

/** The controller's name (work queue, metrics, logs). */
export const NODE_CONTROLLER = "node";

/** The built-in pools: a node matching a custom pool leaves `worker`; `master` nodes never move. */
export const MASTER_POOL = "master";
export const WORKER_POOL = "worker";

/** Zone label the rollout orders candidates by (then oldest first). */
export const ZONE_LABEL = "topology.kubernetes.io/zone";

/** maxUnavailable when the pool leaves it unset (and the floor for 0 or a percentage rounding to 0). */
export const DEFAULT_MAX_UNAVAILABLE = 1;

/** mob only: a node Working for longer than this counts as stuck (mob_rollout_stuck_nodes). */
export const DEFAULT_STUCK_AFTER_MS = 30 * 60_000;

/** Conflict retries of one node patch before the reconcile fails (and is retried with backoff). */
export const PATCH_ATTEMPTS = 5;

/** Event reasons, on the pool. */
export const NodeEvents = {
  /** Upstream: a node got a new desiredConfig (non-layered pool). */
  SetDesiredConfig: "SetDesiredConfig",
  /** Upstream: a node got a new desiredConfig and desiredImage (layered pool). */
  SetDesiredConfigAndOSImage: "SetDesiredConfigAndOSImage",
  /** Upstream: every node of the pool runs its configuration. */
  Completed: "Completed",
  /** mob only: a node matches pools that exclude each other; it is left alone. */
  NodePoolConflict: "NodePoolConflict",
} as const;

/** Upstream's Degraded message while the pool's image build has failed (shared with the build controller). */
export const BUILD_FAILED_DEGRADED_MESSAGE = "Custom OS image build failed";

/** Reason of NodeDegraded when nodes report Degraded/Unreconcilable (upstream's wording). */
export function degradedNodesReason(count: number): string {
  return `${count} nodes are reporting degraded status on sync`;
}

/** mob only: NodeDegraded reason when a node matches two custom pools (or master and a custom pool). */
export const NODE_POOL_CONFLICT_REASON = "NodePoolConflict";

/** Updating messages of a pool that targets an image (upstream §5), keyed by build state. */
export const LayeredUpdatingMessages = {
  noBuild: (mosc: string) => `Pool is waiting for a new OS image build to start (mosc: ${mosc})`,
  waitingToStart: (mosb: string) => `Pool is waiting for OS image build to start (mosb: ${mosb})`,
  building: (mosb: string) => `Pool is waiting for OS image build to complete (mosb: ${mosb})`,
  failed: (mosb: string) => `Pool update stopped due to OS image build failure (mosb: ${mosb})`,
  interrupted: (mosb: string) =>
    `Pool update stopped due to OS image build being interrupted (mosb: ${mosb})`,
  applying: (mosb: string) => `Pool is waiting for nodes to apply OS image (mosb: ${mosb})`,
  degraded: "Pool update paused due to degraded condition",
} as const;

/** The paused variants of the layered Updating messages (upstream). */
export const PausedLayeredUpdatingMessages = {
  noBuild: (mosc: string) => `Pool is paused; waiting for a new OS image build to start (mosc: ${mosc})`,
  initial: (mosb: string) =>
    `Pool is paused; OS image build has been created but not yet started (mosb: ${mosb})`,
  prepared: (mosb: string) =>
    `Pool is paused; OS image build has been prepared but will not rollout (mosb: ${mosb})`,
  building: (mosb: string) => `Pool is paused; OS image build in progress (mosb: ${mosb})`,
  failed: (mosb: string) => `Pool is paused; OS image build failed (mosb: ${mosb})`,
  interrupted: (mosb: string) => `Pool is paused; OS image build was interrupted (mosb: ${mosb})`,
  succeeded: (mosb: string) => `Pool is paused; OS image build completed successfully (mosb: ${mosb})`,
} as const;
