// The build controller's watches; every request is a MachineOSConfig name.
//   MachineOSConfig   → itself.
//   MachineOSBuild    → its MachineOSConfig (spec.machineOSConfig.name).
//   Job (MCO ns)      → the MachineOSConfig its `machine-os-config` label names.
//   MachineConfigPool → the MachineOSConfigs for that pool (spec or status changes: a new rendered
//                       config, or a degraded condition that blocks or unblocks builds).
//   MachineConfig     → the MachineOSConfigs of pools whose spec.configuration names it (a rendered
//                       config the cache had not seen yet when the pool pointed at it).
// Nodes are only read (image pruning), never watched.

import type { Logger } from "pino";
import { BuildKeys } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { Controller } from "../../runtime/controller.ts";
import type { Informer } from "../../runtime/informer.ts";
import type { RuntimeMetrics } from "../../runtime/metrics.ts";
import { type Request, resourceVersionChanged } from "../../runtime/predicates.ts";
import { BUILD_CONTROLLER } from "./constants.ts";
import type { BuildReconciler } from "./reconcile.ts";

export interface BuildInformers {
  moscs: Informer<MachineOSConfig>;
  mosbs: Informer<MachineOSBuild>;
  jobs: Informer<KubeObject>;
  pools: Informer<MachineConfigPool>;
  configs: Informer<MachineConfig>;
  nodes: Informer<KubeObject>;
}

export interface BuildControllerOptions {
  informers: BuildInformers;
  reconciler: BuildReconciler;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  /** Concurrent reconciles (default 2); one MachineOSConfig never runs on two workers. */
  workers?: number;
}

export function newBuildController(options: BuildControllerOptions): Controller {
  const { informers } = options;
  const controller = new Controller({
    name: BUILD_CONTROLLER,
    reconciler: options.reconciler,
    workers: options.workers ?? 2,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
  });
  const moscsForPool = (poolName: string): Request[] =>
    informers.moscs
      .list()
      .filter((mosc) => mosc.spec.machineConfigPool.name === poolName)
      .map((mosc) => ({ name: mosc.metadata.name ?? "" }));
  controller
    .watch(informers.moscs, { predicates: [resourceVersionChanged] })
    .watch(informers.mosbs, {
      map: (mosb) => [{ name: mosb.spec.machineOSConfig.name }],
      predicates: [resourceVersionChanged],
    })
    .watch(informers.jobs, {
      map: (job) => {
        const mosc = job.metadata.labels?.[BuildKeys.machineOSConfig];
        return mosc === undefined ? [] : [{ name: mosc }];
      },
      predicates: [resourceVersionChanged],
    })
    .watch(informers.pools, {
      map: (pool) => moscsForPool(pool.metadata.name ?? ""),
      predicates: [resourceVersionChanged],
    })
    .watch(informers.configs, {
      map: (config) =>
        informers.pools
          .list()
          .filter((pool) => pool.spec.configuration?.name === config.metadata.name)
          .flatMap((pool) => moscsForPool(pool.metadata.name ?? "")),
      predicates: [resourceVersionChanged],
    });
  return controller;
}
