// The legacy controller's watches; every request is a MachineConfigPool name.
//   MachineConfigPool → itself (label added/removed, annotation, conditions).
//   MachineOSConfig   → the pool it names (the managed one's status carries the built image).
//   MachineOSBuild    → its pool (a build starting or ending changes the mirrored ConfigMaps).
//   ConfigMap (MCO ns) → `on-cluster-build-config` / `on-cluster-build-custom-dockerfile`: every
//                        opted-in pool and every pool with a managed MachineOSConfig; a build's
//                        `containerfile-`/`mc-<mosb>` or a mirror: the pool it is labelled for.

import type { Logger } from "pino";
import { BuildKeys, MCO_NAMESPACE } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { Controller } from "../../runtime/controller.ts";
import type { EventRecorder } from "../../runtime/events.ts";
import { Informer } from "../../runtime/informer.ts";
import { CONFIG_MAPS, type KubeClients } from "../../runtime/kube-client.ts";
import type { Manager } from "../../runtime/manager.ts";
import { type Request, resourceVersionChanged } from "../../runtime/predicates.ts";
import { MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS } from "../build/resources.ts";
import { MACHINE_CONFIG_POOLS } from "../resources.ts";
import { LEGACY_CONTROLLER, LegacyConfigMaps } from "./constants.ts";
import { isManaged, isOptedIn } from "./opt-in.ts";
import { LegacyReconciler } from "./reconcile.ts";
import { LegacyWrites } from "./writes.ts";

export interface LegacyControllerRegistration {
  clients: KubeClients;
  /** Shared with the other controllers. */
  pools: Informer<MachineConfigPool>;
  events: Pick<EventRecorder, "record">;
  logger?: Logger;
  /** Concurrent reconciles (default 2); one pool never runs on two workers. */
  workers?: number;
}

const USER_CONFIG_MAPS: ReadonlySet<string> = new Set(Object.values(LegacyConfigMaps));

/** Adds the legacy controller (and its own informers) to `manager`; returns the controller. */
export function registerLegacyController(
  manager: Manager,
  options: LegacyControllerRegistration,
): Controller {
  const { clients, pools } = options;
  const common = { clients, ...(options.logger !== undefined ? { logger: options.logger } : {}) };
  const moscs = new Informer<MachineOSConfig>({ ...common, resource: MACHINE_OS_CONFIGS });
  const mosbs = new Informer<MachineOSBuild>({ ...common, resource: MACHINE_OS_BUILDS });
  const configMaps = new Informer<KubeObject>({ ...common, resource: CONFIG_MAPS, namespace: MCO_NAMESPACE });
  const reconciler = new LegacyReconciler({
    caches: { pools, moscs, mosbs, configMaps },
    writes: new LegacyWrites({
      moscs: clients.resource(MACHINE_OS_CONFIGS),
      pools: clients.resource(MACHINE_CONFIG_POOLS),
      configMaps: clients.resource(CONFIG_MAPS),
    }),
    event: (object, record, signal) => options.events.record(object, record, signal),
  });
  const controller = new Controller({
    name: LEGACY_CONTROLLER,
    reconciler,
    workers: options.workers ?? 2,
    metrics: manager.metrics,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  const interested = (): Request[] => {
    const names = new Set<string>();
    for (const pool of pools.list()) if (isOptedIn(pool)) names.add(pool.metadata.name ?? "");
    for (const mosc of moscs.list()) if (isManaged(mosc)) names.add(mosc.metadata.name ?? "");
    return [...names].map((name) => ({ name }));
  };
  const predicates = [resourceVersionChanged];
  controller
    .watch(pools, { predicates })
    .watch(moscs, { map: (mosc) => [{ name: mosc.spec.machineConfigPool.name }], predicates })
    .watch(mosbs, {
      map: (mosb) => [
        { name: mosb.metadata.labels?.[BuildKeys.targetMachineConfigPool] ?? mosb.spec.machineOSConfig.name },
      ],
      predicates,
    })
    .watch(configMaps, {
      map: (cm) => {
        if (USER_CONFIG_MAPS.has(cm.metadata.name ?? "")) return interested();
        const labels = cm.metadata.labels ?? {};
        const pool = labels[BuildKeys.machineOSConfig] ?? labels[BuildKeys.targetMachineConfigPool];
        return pool === undefined ? [] : [{ name: pool }];
      },
      predicates,
    });
  manager.add(controller);
  return controller;
}
