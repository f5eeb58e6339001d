// Wires the build controller into a runtime Manager: its informers (MachineOSConfigs,
// MachineOSBuilds, Jobs in the MCO namespace), the role objects behind the reconciler, and the
// controller itself. Pools, MachineConfigs and Nodes are shared with the other controllers.

import type { Logger } from "pino";
import { BuildKeys, MCO_NAMESPACE } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import type { Controller } from "../../runtime/controller.ts";
import type { EventRecorder } from "../../runtime/events.ts";
import { Informer } from "../../runtime/informer.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import type { Manager } from "../../runtime/manager.ts";
import { BuildPods } from "./build-pods.ts";
import { Cleaner } from "./cleaner.ts";
import { type BuildInformers, newBuildController } from "./controller.ts";
import type { BuildJobOptions } from "./job.ts";
import { Launcher } from "./launcher.ts";
import { BuildMetrics } from "./metrics.ts";
import { Preparer } from "./preparer.ts";
import { ImagePruner } from "./pruner.ts";
import { BuildReconciler } from "./reconcile.ts";
import { buildClientsFor, JOBS, MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS } from "./resources.ts";
import { StatusSync } from "./status-sync.ts";

export interface SharedInformers {
  pools: Informer<MachineConfigPool>;
  configs: Informer<MachineConfig>;
  nodes: Informer<KubeObject>;
}

export interface BuildControllerRegistration {
  clients: KubeClients;
  shared: SharedInformers;
  events: Pick<EventRecorder, "record">;
  job: BuildJobOptions;
  logger?: Logger;
  workers?: number;
}

/** Adds the build controller (and its own informers) to `manager`; returns the controller. */
export function registerBuildController(manager: Manager, options: BuildControllerRegistration): Controller {
  const { clients, shared } = options;
  const logger = options.logger;
  const common = { clients, ...(logger !== undefined ? { logger } : {}) };
  const informers: BuildInformers = {
    ...shared,
    moscs: new Informer<MachineOSConfig>({ ...common, resource: MACHINE_OS_CONFIGS }),
    mosbs: new Informer<MachineOSBuild>({ ...common, resource: MACHINE_OS_BUILDS }),
    jobs: new Informer<KubeObject>({
      ...common,
      resource: JOBS,
      namespace: MCO_NAMESPACE,
      labelSelector: BuildKeys.machineOSConfig,
    }),
  };
  const c = buildClientsFor(clients);
  const event = (object: KubeObject, record: Parameters<EventRecorder["record"]>[1], signal: AbortSignal) =>
    options.events.record(object, record, signal);
  const status = new StatusSync({
    mosbs: c.mosbs,
    jobs: c.jobs,
    configMaps: c.configMaps,
    pods: new BuildPods({ pods: c.pods, configMaps: c.configMaps, logs: c.podLogs }),
    event,
    metrics: new BuildMetrics(manager.metrics.registry, informers),
  });
  const pruner = new ImagePruner({ secrets: c.secrets });
  const reconciler = new BuildReconciler({
    caches: informers,
    preparer: new Preparer({ configMaps: c.configMaps, secrets: c.secrets }),
    launcher: new Launcher({
      job: options.job,
      mosbs: c.mosbs,
      jobs: c.jobs,
      configMaps: c.configMaps,
      secrets: c.secrets,
    }),
    status,
    cleaner: new Cleaner({ jobs: c.jobs, configMaps: c.configMaps, secrets: c.secrets }),
    pruner,
    mosbs: c.mosbs,
    moscs: c.moscs,
    pools: c.pools,
    configMaps: c.configMaps,
    event,
  });
  const controller = newBuildController({
    informers,
    reconciler,
    metrics: manager.metrics,
    ...(logger !== undefined ? { logger } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  });
  manager.add(controller);
  manager.addCache(shared.nodes);
  return controller;
}
