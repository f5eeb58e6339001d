// The render controller's watches: which changes mean which pools must be rendered again.
//   MachineConfigPool  → itself (spec changes only: generation).
//   MachineConfig      → every pool whose machineConfigSelector selects it — with its old labels
//                        too on an update, so a config moving away from a pool re-renders that
//                        pool — plus the pool that controls it (a deleted rendered config is re-made).
//   ControllerConfig   → every pool.
// Config changes are debounced by `renderDelayMs` (upstream waits 5 s), so `oc apply -f dir/` makes
// one rendered config rather than one per object. Nodes are only read (garbage collection), never
// watched: a 1,000-node fleet would otherwise re-render pools on every heartbeat.

import type { Logger } from "pino";
import { ObjectNames } from "../../api/constants.ts";
import type { ControllerConfig } from "../../api/controllerconfig-v1.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { objectOf } from "../../runtime/cache-store.ts";
import { Controller } from "../../runtime/controller.ts";
import type { Informer } from "../../runtime/informer.ts";
import type { Manager } from "../../runtime/manager.ts";
import type { RuntimeMetrics } from "../../runtime/metrics.ts";
import { generationChanged, type Request, requestKey } from "../../runtime/predicates.ts";
import { RENDER_CONTROLLER, RENDER_DELAY_MS } from "./constants.ts";
import type { RenderMetrics } from "./metrics.ts";
import { RenderReconciler } from "./reconcile.ts";
import { poolSelects } from "./selection.ts";
import type { RenderWrites } from "./writes.ts";

export interface RenderInformers {
  pools: Informer<MachineConfigPool>;
  configs: Informer<MachineConfig>;
  controllerConfigs: Informer<ControllerConfig>;
  nodes: Informer<KubeObject>;
}

export interface RenderControllerOptions {
  informers: RenderInformers;
  writes: RenderWrites;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  renderMetrics?: RenderMetrics;
  controllerVersion?: string;
  /** Concurrent reconciles (default 16: a reconcile mostly waits on API round trips); one pool never renders on two workers at once. */
  workers?: number;
  /** How long MachineConfig/ControllerConfig changes wait, so a burst renders once (default 100 ms). */
  renderDelayMs?: number;
}

/**
 * Builds the controller and adds it to `manager`, with the MachineConfig and ControllerConfig
 * informers as caches: their events reach the queue through `addAfter` (debounced, see
 * `renderDelayMs`), not through `Controller.watch`.
 */
export function registerRenderController(manager: Manager, options: RenderControllerOptions): Controller {
  const { informers } = options;
  const reconciler = new RenderReconciler({
    caches: informers,
    writes: options.writes,
    ...(options.controllerVersion !== undefined ? { controllerVersion: options.controllerVersion } : {}),
    ...(options.renderMetrics !== undefined ? { metrics: options.renderMetrics } : {}),
  });
  const controller = new Controller({
    name: RENDER_CONTROLLER,
    reconciler,
    workers: options.workers ?? 16,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
  });
  const pools = informers.pools;
  controller.watch(pools, { predicates: [generationChanged] });
  const delayMs = options.renderDelayMs ?? RENDER_DELAY_MS;
  const enqueue = (requests: readonly Request[]): void => {
    for (const request of requests) controller.queue.addAfter(requestKey(request), delayMs);
  };
  informers.configs.addEventHandler({
    onAdd: (config) => enqueue(poolsForConfig(pools.list(), config)),
    onUpdate: (old, config) => {
      if (old.metadata.resourceVersion === config.metadata.resourceVersion) return;
      enqueue(poolsForConfig(pools.list(), config));
      if (!sameLabels(old, config)) enqueue(poolsForConfig(pools.list(), old));
    },
    onDelete: (config) => enqueue(poolsForConfig(pools.list(), objectOf(config))),
  });
  const everyPool = (cc: ControllerConfig): void => {
    if (cc.metadata.name === ObjectNames.controllerConfig) enqueue(pools.list().map(requestOf));
  };
  informers.controllerConfigs.addEventHandler({
    onAdd: everyPool,
    onUpdate: (_old, cc) => everyPool(cc),
    onDelete: (cc) => everyPool(objectOf(cc)),
  });
  manager
    .add(controller)
    .addCache(informers.configs)
    .addCache(informers.controllerConfigs)
    .addCache(informers.nodes);
  return controller;
}

/** Pools that select `config` by label, and the pool that controls it (for rendered configs). */
export function poolsForConfig(pools: readonly MachineConfigPool[], config: MachineConfig): Request[] {
  const owner = config.metadata.ownerReferences?.find(
    (ref) => ref.controller === true && ref.kind === "MachineConfigPool",
  );
  return pools
    .filter((pool) => pool.metadata.name === owner?.name || poolSelects(pool, config.metadata.labels))
    .map(requestOf);
}

function requestOf(pool: MachineConfigPool): Request {
  return { name: pool.metadata.name ?? "" };
}

function sameLabels(a: KubeObject, b: KubeObject): boolean {
  const left = a.metadata.labels ?? {};
  const right = b.metadata.labels ?? {};
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}
