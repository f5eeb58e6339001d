// The render reconciler, level-based: for the pool named in the request it re-reads the pool, the
// MachineConfigs, the ControllerConfig and the Nodes from the informer caches and converges:
//   1. base configs `00-<role>` that the pool selects are made current (base-configs.ts);
//   2. the selected MachineConfigs are rendered (render.ts) — or the pool is marked RenderDegraded
//      and keeps its last good configuration (no retry: a fix arrives as a watch event);
//   3. unless the pool is paused: the rendered config is created, spec.configuration points at it,
//      RenderDegraded=False, and old rendered configs are collected (status.configuration is the
//      node controller's, set once the pool's nodes run the config).
// A paused pool still gets RenderDegraded (its MachineConfigs are checked) but no new configuration.

import { ObjectNames, PoolConditionTypes } from "../../api/constants.ts";
import type { ControllerConfig } from "../../api/controllerconfig-v1.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import {
  type LabelSelector,
  labelSelectorToString,
  matchesLabels,
} from "../../apiserver/selectors/label-selector.ts";
import type { ReconcileContext, ReconcileResult, Reconciler } from "../../runtime/controller.ts";
import type { Request } from "../../runtime/predicates.ts";
import { CONTROLLER_VERSION } from "../version.ts";
import { baseConfigs } from "./base-configs.ts";
import { findPoolCondition } from "./conditions.ts";
import {
  CACHE_LAG_REQUEUE_MS,
  KEEP_RENDERED_PER_POOL,
  type RenderDegradedReason,
  RenderDegradedReasons,
  RenderEvents,
} from "./constants.ts";
import { isRendered, isRenderedFor, referencedConfigs, renderedConfigsToDelete } from "./gc.ts";
import type { RenderMetrics } from "./metrics.ts";
import { renderPool } from "./render.ts";
import { poolSelector, selectConfigs } from "./selection.ts";
import type { RenderWrites } from "./writes.ts";

/** What the reconciler reads of an informer cache. */
export interface Lister<T extends KubeObject> {
  get(key: string): T | undefined;
  list(): T[];
}

export interface RenderCaches {
  pools: Lister<MachineConfigPool>;
  configs: Lister<MachineConfig>;
  controllerConfigs: Lister<ControllerConfig>;
  nodes: Lister<KubeObject>;
}

export interface RenderReconcilerOptions {
  caches: RenderCaches;
  writes: RenderWrites;
  controllerVersion?: string;
  /** Rendered configs kept per pool regardless of references (default 5). */
  keepPerPool?: number;
  metrics?: RenderMetrics;
}

interface Failure {
  reason: RenderDegradedReason;
  message: string;
}

export class RenderReconciler implements Reconciler {
  readonly #caches: RenderCaches;
  readonly #writes: RenderWrites;
  readonly #version: string;
  readonly #keep: number;
  readonly #metrics: RenderMetrics | undefined;

  constructor(options: RenderReconcilerOptions) {
    this.#caches = options.caches;
    this.#writes = options.writes;
    this.#version = options.controllerVersion ?? CONTROLLER_VERSION;
    this.#keep = options.keepPerPool ?? KEEP_RENDERED_PER_POOL;
    this.#metrics = options.metrics;
  }

  async reconcile(request: Request, context: ReconcileContext): Promise<ReconcileResult | undefined> {
    const pool = this.#caches.pools.get(request.name);
    if (pool === undefined) return undefined;
    if (this.#writes.cacheIsBehind(pool)) return { requeueAfterMs: CACHE_LAG_REQUEUE_MS };
    const { signal } = context;
    const selection = poolSelector(pool);
    if (selection.kind === "all") {
      const message =
        "This machineconfigpool is selecting all machineconfigs. A non-empty selector is required.";
      this.#writes.event(pool, { type: "Warning", reason: RenderEvents.SelectingAll, message }, signal);
      return undefined;
    }
    if (selection.kind === "invalid") {
      return this.#fail(
        pool,
        { reason: RenderDegradedReasons.InvalidSelector, message: selection.message },
        context,
      );
    }
    const cc = this.#caches.controllerConfigs.get(ObjectNames.controllerConfig);
    if (cc === undefined) {
      const message = `ControllerConfig ${ObjectNames.controllerConfig} not found`;
      return this.#fail(pool, { reason: RenderDegradedReasons.ControllerConfigNotFound, message }, context);
    }
    const configs = await this.#selectedConfigs(selection.selector, cc, signal);
    if (configs.length === 0) {
      const message = `no MachineConfigs found matching selector ${labelSelectorToString(selection.selector) || "<none>"}`;
      return this.#fail(pool, { reason: RenderDegradedReasons.NoMachineConfigs, message }, context);
    }
    const result = renderPool({ pool, configs, controllerConfig: cc, controllerVersion: this.#version });
    if (!result.ok) return this.#fail(pool, result, context);
    if (pool.spec.paused === true) {
      await this.#writes.writeStatus(pool, { condition: renderSucceeded() }, signal);
      return undefined;
    }
    const { rendered, configuration } = result;
    const exists = this.#caches.configs.get(configuration.name) !== undefined;
    await this.#writes.ensureRendered(pool, rendered, exists, signal);
    const pointed = await this.#writes.pointSpec(pool, configuration, signal);
    // status.configuration is the node controller's: it follows once the nodes run the config.
    const updated = await this.#writes.writeStatus(pointed, { condition: renderSucceeded() }, signal);
    await this.#collectGarbage(updated, [configuration.name], context);
    return undefined;
  }

  /** The MachineConfigs the selector selects, with the base configs it selects made current first. */
  async #selectedConfigs(
    selector: LabelSelector,
    cc: ControllerConfig,
    signal: AbortSignal,
  ): Promise<MachineConfig[]> {
    const byName = new Map<string, MachineConfig>();
    for (const config of this.#caches.configs.list()) {
      // Rendered configs carry no labels; a NotIn/DoesNotExist selector must still not feed them back.
      if (!isRendered(config)) byName.set(config.metadata.name ?? "", config);
    }
    for (const desired of baseConfigs(cc, this.#version)) {
      if (!matchesLabels(selector, desired.metadata.labels)) continue;
      const name = desired.metadata.name ?? "";
      byName.set(name, await this.#writes.ensureBaseConfig(desired, byName.get(name), signal));
    }
    return selectConfigs(selector, [...byName.values()]);
  }

  async #fail(pool: MachineConfigPool, failure: Failure, context: ReconcileContext): Promise<undefined> {
    const poolName = pool.metadata.name ?? "";
    const message = `Failed to render configuration for pool ${poolName}: ${failure.message}`;
    const previous = findPoolCondition(pool.status?.conditions, PoolConditionTypes.RenderDegraded);
    const condition = {
      type: PoolConditionTypes.RenderDegraded,
      status: "True",
      reason: failure.reason,
      message,
    } as const;
    await this.#writes.writeStatus(pool, { condition }, context.signal);
    this.#metrics?.failed(poolName, failure.reason);
    context.logger.warn({ reason: failure.reason, message }, "render failed");
    if (previous?.status !== "True" || previous.message !== message) {
      this.#writes.event(
        pool,
        { type: "Warning", reason: RenderEvents.RenderFailed, message },
        context.signal,
      );
    }
    return undefined;
  }

  async #collectGarbage(
    pool: MachineConfigPool,
    inUse: readonly string[],
    context: ReconcileContext,
  ): Promise<void> {
    const poolName = pool.metadata.name ?? "";
    const owned = this.#caches.configs.list().filter((config) => isRenderedFor(config, poolName));
    if (owned.length <= this.#keep) return;
    const referenced = referencedConfigs(this.#caches.pools.list(), this.#caches.nodes.list());
    const current = referencedConfigs([pool], []);
    for (const name of inUse) {
      referenced.add(name);
      current.add(name);
    }
    const doomed = renderedConfigsToDelete(owned, referenced, this.#keep, current);
    if (doomed.length === 0) return;
    await this.#writes.deleteConfigs(doomed, poolName, context);
  }
}

function renderSucceeded() {
  return {
    type: PoolConditionTypes.RenderDegraded,
    status: "False",
    reason: RenderDegradedReasons.RenderSucceeded,
    message: "",
  } as const;
}
