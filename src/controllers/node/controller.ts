// The node controller's watches; every request is a MachineConfigPool name.
//   MachineConfigPool → itself; a spec change (or add/delete) → every pool, since nodeSelector
//                       changes move nodes between pools (worker loses what a custom pool gains).
//   Node              → every pool whose nodeSelector matches its old or its new labels; only for
//                       changes the controller reads (labels, annotations, cordon, taints,
//                       readiness), not kubelet heartbeats.
//   MachineOSConfig   → the pool it names.
//   MachineOSBuild    → the pool of its MachineOSConfig, and the pool its label names.

import type { Logger } from "pino";
import { BuildKeys } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { objectOf } from "../../runtime/cache-store.ts";
import { type Clock, realClock } from "../../runtime/clock.ts";
import { Controller } from "../../runtime/controller.ts";
import type { Informer } from "../../runtime/informer.ts";
import type { Manager } from "../../runtime/manager.ts";
import type { RuntimeMetrics } from "../../runtime/metrics.ts";
import { generationChanged, type ObjectEvent, type Request, requestKey } from "../../runtime/predicates.ts";
import { NODE_CONTROLLER } from "./constants.ts";
import { poolSelectsNode } from "./membership.ts";
import type { RolloutMetrics } from "./metrics.ts";
import { isReady, isUnschedulable, taintsOf } from "./node-state.ts";
import { NodeReconciler } from "./reconcile.ts";
import type { NodeWrites } from "./writes.ts";

export interface NodeInformers {
  pools: Informer<MachineConfigPool>;
  nodes: Informer<KubeObject>;
  moscs: Informer<MachineOSConfig>;
  mosbs: Informer<MachineOSBuild>;
}

export interface NodeControllerOptions {
  informers: NodeInformers;
  writes: NodeWrites;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  rolloutMetrics?: RolloutMetrics;
  /** A node Working for longer than this counts as stuck (default 30 minutes). */
  stuckAfterMs?: number;
  /** Concurrent reconciles (default 4); one pool never runs on two workers. */
  workers?: number;
  clock?: Clock;
}

/** Builds the node controller and adds it (and its informers) to `manager`. */
export function registerNodeController(manager: Manager, options: NodeControllerOptions): Controller {
  const { informers } = options;
  const reconciler = new NodeReconciler({
    caches: informers,
    writes: options.writes,
    clock: options.clock ?? realClock,
    ...(options.rolloutMetrics !== undefined ? { metrics: options.rolloutMetrics } : {}),
    ...(options.stuckAfterMs !== undefined ? { stuckAfterMs: options.stuckAfterMs } : {}),
  });
  const controller = new Controller({
    name: NODE_CONTROLLER,
    reconciler,
    workers: options.workers ?? 4,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
  });
  const pools = (): MachineConfigPool[] => informers.pools.list();
  const enqueue = (requests: readonly Request[]): void => {
    for (const request of new Set(requests.map(requestKey))) controller.queue.add(request);
  };
  informers.pools.addEventHandler({
    onAdd: () => enqueue(pools().map(requestOf)),
    onUpdate: (old, pool) => {
      const spec = generationChanged({ type: "update", object: pool, old });
      enqueue(spec ? pools().map(requestOf) : [requestOf(pool)]);
    },
    onDelete: (pool) => enqueue([requestOf(objectOf(pool)), ...pools().map(requestOf)]),
  });
  controller
    .watch(informers.nodes, { map: () => [], predicates: [nodeEvents(pools, enqueue)] })
    .watch(informers.moscs, { map: (mosc) => [{ name: mosc.spec.machineConfigPool.name }] })
    .watch(informers.mosbs, { map: poolsOfBuild });
  manager.add(controller).addCache(informers.pools);
  return controller;
}

/**
 * Node events fan out to pools by label, old and new, which `Controller.watch`'s one-object map
 * cannot express; this predicate enqueues them itself and lets nothing through.
 */
function nodeEvents(
  pools: () => MachineConfigPool[],
  enqueue: (requests: readonly Request[]) => void,
): (event: ObjectEvent<KubeObject>) => boolean {
  return (event) => {
    if (event.type === "update" && event.old !== undefined && !nodeChanged(event.old, event.object))
      return false;
    const labels = [event.object.metadata.labels, event.old?.metadata.labels];
    enqueue(
      pools()
        .filter((pool) => labels.some((l) => poolSelectsNode(pool, l)))
        .map(requestOf),
    );
    return false;
  };
}

/** Whether anything this controller reads changed (heartbeats alone do not count). */
export function nodeChanged(old: KubeObject, node: KubeObject): boolean {
  const view = (n: KubeObject): string =>
    JSON.stringify([
      n.metadata.labels ?? {},
      n.metadata.annotations ?? {},
      n.metadata.deletionTimestamp ?? "",
      isUnschedulable(n),
      isReady(n),
      taintsOf(n),
    ]);
  return view(old) !== view(node);
}

function poolsOfBuild(mosb: MachineOSBuild): Request[] {
  const labelled = mosb.metadata.labels?.[BuildKeys.targetMachineConfigPool];
  // A MachineOSConfig is named after its pool (CEL), so its name is the pool's.
  const requests = [{ name: mosb.spec.machineOSConfig.name }];
  return labelled !== undefined && labelled !== requests[0]?.name
    ? [...requests, { name: labelled }]
    : requests;
}

function requestOf(pool: MachineConfigPool): Request {
  return { name: pool.metadata.name ?? "" };
}
