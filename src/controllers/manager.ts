// Wires mob's controllers onto one runtime Manager: shared informers for MachineConfigPools,
// MachineConfigs, the ControllerConfig and Nodes, the event recorder, metrics, and (optionally)
// leader election. Works against any API server: nothing here knows whether it is mob's own.

import { hostname } from "node:os";
import type { Logger } from "pino";
import { MCO_NAMESPACE } from "../api/constants.ts";
import type { ControllerConfig } from "../api/controllerconfig-v1.ts";
import type { MachineConfig } from "../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../api/object.ts";
import { silentLogger } from "../logging.ts";
import { EventRecorder } from "../runtime/events.ts";
import { Informer } from "../runtime/informer.ts";
import type { KubeClients } from "../runtime/kube-client.ts";
import { Manager } from "../runtime/manager.ts";
import type { ListenAddress } from "../runtime/probe-server.ts";
import { BUILD_COMPONENT } from "./build/constants.ts";
import type { BuildJobOptions } from "./build/job.ts";
import { registerBuildController } from "./build/register.ts";
import { MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS } from "./build/resources.ts";
import { registerDrainController } from "./drain/controller.ts";
import { registerLegacyController } from "./legacy/controller.ts";
import { registerNodeController } from "./node/controller.ts";
import { RolloutMetrics } from "./node/metrics.ts";
import { NodeWrites } from "./node/writes.ts";
import { type RenderInformers, registerRenderController } from "./render/controller.ts";
import { RenderMetrics } from "./render/metrics.ts";
import { RenderWrites } from "./render/writes.ts";
import { CONTROLLER_CONFIGS, MACHINE_CONFIG_POOLS, MACHINE_CONFIGS, NODES } from "./resources.ts";
import { CONTROLLER_VERSION } from "./version.ts";

/** Upstream's component name: events' source and the leader-election lease. */
export const CONTROLLER_COMPONENT = "machine-config-controller";

export interface ControllerManagerOptions {
  clients: KubeClients;
  logger?: Logger;
  /** Serve /healthz, /readyz and /metrics here. */
  metricsListen?: ListenAddress;
  /** Run the controllers only while holding the Lease `machine-config-controller` in this namespace. */
  leaderElectionNamespace?: string;
  /** Default: `<hostname>_<pid>`. */
  identity?: string;
  controllerVersion?: string;
  /** Workers of the render controller (default 16). */
  renderWorkers?: number;
  /** Debounce of MachineConfig/ControllerConfig changes (default 100 ms). */
  renderDelayMs?: number;
  /** Drain controller: give up (and uncordon) after this long (default 10 min), retry evictions this often (5 s). */
  drain?: { timeoutMs?: number; retryIntervalMs?: number };
  /** Node controller: a node Working for longer than this counts as stuck (default 30 min). */
  nodeStuckAfterMs?: number;
  /** Run the build controller with these Job options (no build controller when unset). */
  build?: BuildJobOptions;
  /**
   * The build and 4.14 opt-in controllers' own clients (default `clients`): on a cluster both run
   * in `mob controller` with its account; the embedded stack tells them apart by User-Agent.
   */
  buildClients?: KubeClients;
}

export interface ControllerManager {
  manager: Manager;
  informers: RenderInformers;
}

export function buildControllerManager(options: ControllerManagerOptions): ControllerManager {
  const { clients } = options;
  const logger = options.logger ?? silentLogger();
  const identity = options.identity ?? `${hostname()}_${process.pid}`;
  const leaderNamespace = options.leaderElectionNamespace;
  const manager = new Manager({
    logger,
    ...(options.metricsListen !== undefined ? { metricsListen: options.metricsListen } : {}),
    ...(leaderNamespace !== undefined
      ? { leaderElection: { clients, namespace: leaderNamespace, name: CONTROLLER_COMPONENT, identity } }
      : {}),
  });
  const informer = <T extends KubeObject>(resource: typeof NODES): Informer<T> =>
    new Informer<T>({ clients, resource, logger });
  const informers: RenderInformers = {
    pools: informer<MachineConfigPool>(MACHINE_CONFIG_POOLS),
    configs: informer<MachineConfig>(MACHINE_CONFIGS),
    controllerConfigs: informer<ControllerConfig>(CONTROLLER_CONFIGS),
    nodes: informer<KubeObject>(NODES),
  };
  const events = new EventRecorder({ clients, component: CONTROLLER_COMPONENT, instance: identity, logger });
  const renderMetrics = new RenderMetrics(manager.metrics.registry);
  const writes = new RenderWrites({
    clients: { pools: clients.resource(MACHINE_CONFIG_POOLS), configs: clients.resource(MACHINE_CONFIGS) },
    events,
    metrics: renderMetrics,
  });
  registerDrainController(manager, {
    clients,
    nodes: informers.nodes,
    events,
    logger,
    metrics: manager.metrics,
    ...options.drain,
  });
  registerRenderController(manager, {
    informers,
    writes,
    logger,
    metrics: manager.metrics,
    renderMetrics,
    controllerVersion: options.controllerVersion ?? CONTROLLER_VERSION,
    ...(options.renderWorkers !== undefined ? { workers: options.renderWorkers } : {}),
    ...(options.renderDelayMs !== undefined ? { renderDelayMs: options.renderDelayMs } : {}),
  });
  registerNodeController(manager, {
    informers: {
      pools: informers.pools,
      nodes: informers.nodes,
      moscs: informer(MACHINE_OS_CONFIGS),
      mosbs: informer(MACHINE_OS_BUILDS),
    },
    writes: new NodeWrites({
      clients: { nodes: clients.resource(NODES), pools: clients.resource(MACHINE_CONFIG_POOLS) },
      events,
    }),
    logger,
    metrics: manager.metrics,
    rolloutMetrics: new RolloutMetrics(manager.metrics.registry),
    ...(options.nodeStuckAfterMs !== undefined ? { stuckAfterMs: options.nodeStuckAfterMs } : {}),
  });
  if (options.build !== undefined) {
    const buildClients = options.buildClients ?? clients;
    const buildEvents = new EventRecorder({
      clients: buildClients,
      component: BUILD_COMPONENT,
      instance: identity,
      logger,
    });
    registerBuildController(manager, {
      clients: buildClients,
      shared: informers,
      events: buildEvents,
      job: options.build,
      logger,
    });
    // The 4.14 opt-in (layering-enabled label + ConfigMaps) only makes MachineOSConfigs, so it runs
    // only beside the build controller.
    registerLegacyController(manager, { clients: buildClients, pools: informers.pools, events, logger });
  }
  return { manager, informers };
}

/** The namespace `mob controller --leader-elect` uses unless told otherwise. */
export const DEFAULT_LEADER_ELECTION_NAMESPACE = MCO_NAMESPACE;
