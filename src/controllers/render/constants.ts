// Names the render controller owns: its controller name, condition reasons, event reasons and its
// garbage-collection policy. Upstream's names (RenderedConfigGenerated, SelectingAll) are kept;
// mob-only names say so.

/** The controller's name (work queue, metrics, logs, event source). */
export const RENDER_CONTROLLER = "render";

/**
 * How long a MachineConfig or ControllerConfig change waits before its pools render, so a burst of
 * changes renders once. Upstream waits 5 s; mob trades a little batching for latency.
 */
export const RENDER_DELAY_MS = 100;

/** How soon a pool is looked at again when the cache has not yet caught up with our own write. */
export const CACHE_LAG_REQUEUE_MS = 20;

/** Rendered configs kept per pool beyond those still referenced, newest first. */
export const KEEP_RENDERED_PER_POOL = 5;

/** Roles whose base config (`00-<role>`) mob generates, as the MCO's template controller does. */
export const BASE_CONFIG_ROLES = ["master", "worker"] as const;

/** Ignition version of the (empty) config in base configs. */
export const BASE_IGNITION_VERSION = "3.4.0";

/**
 * Reasons of the pool's RenderDegraded condition. Upstream leaves the reason empty and puts
 * everything in the message; mob adds machine-readable reasons (mob only).
 */
export const RenderDegradedReasons = {
  /** False: the pool's MachineConfigs render (or would, while paused). */
  RenderSucceeded: "RenderSucceeded",
  /** True: a selected MachineConfig is invalid or the set cannot be merged. */
  InvalidMachineConfig: "InvalidMachineConfig",
  /** True: the selector matches no MachineConfig. */
  NoMachineConfigs: "NoMachineConfigs",
  /** True: the ControllerConfig `machine-config-controller` does not exist. */
  ControllerConfigNotFound: "ControllerConfigNotFound",
  /** True: the pool's machineConfigSelector cannot be parsed. */
  InvalidSelector: "InvalidSelector",
} as const;
export type RenderDegradedReason = (typeof RenderDegradedReasons)[keyof typeof RenderDegradedReasons];

/** Event reasons on pools. */
export const RenderEvents = {
  /** Upstream: a rendered MachineConfig was created. */
  RenderedConfigGenerated: "RenderedConfigGenerated",
  /** Upstream (OCL recorder): the pool's spec.configuration moved to another rendered config. */
  PoolConfigChanged: "PoolConfigChanged",
  /** Upstream: the pool's selector is `{}`; nothing is rendered. */
  SelectingAll: "SelectingAll",
  /** mob only: rendering failed; the message is the RenderDegraded message. */
  RenderFailed: "RenderFailed",
} as const;
