// The node agent ("mob daemon", upstream's MCD): one per node. It watches its own Node (field
// selector metadata.name) and the ControllerConfig, and runs NodeSync on every relevant change with
// one worker, so a long update (a drain, a rebase) is never run twice at once.
//
// A reboot ends the instance: `run` resolves "rebooted" once the rebooter returns. On a real host it
// never returns (the machine goes down and the DaemonSet pod starts again after boot); the simulated
// backend's reboot swaps booted ← staged and returns, and `runDaemon` then starts a fresh instance,
// which knows nothing but what is on disk and in the API, exactly like a daemon after a real boot.

import type { Logger } from "pino";
import { ObjectNames } from "../api/constants.ts";
import type { ControllerConfig } from "../api/controllerconfig-v1.ts";
import type { MachineConfig } from "../api/machineconfig-v1.ts";
import type { KubeObject } from "../api/object.ts";
import { CONTROLLER_CONFIGS, MACHINE_CONFIGS, NODES } from "../controllers/resources.ts";
import { silentLogger } from "../logging.ts";
import { type Clock, realClock } from "../runtime/clock.ts";
import { Controller } from "../runtime/controller.ts";
import { isNotFound } from "../runtime/errors.ts";
import { EventRecorder } from "../runtime/events.ts";
import { Informer } from "../runtime/informer.ts";
import type { KubeClients } from "../runtime/kube-client.ts";
import { Manager } from "../runtime/manager.ts";
import { RuntimeMetrics } from "../runtime/metrics.ts";
import type { ObjectEvent } from "../runtime/predicates.ts";
import type { ListenAddress } from "../runtime/probe-server.ts";
import { ConfigFiles } from "./config-files.ts";
import {
  DAEMON_COMPONENT,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_RETRY_DELAY_MS,
  DEFAULT_UNCORDON_TIMEOUT_MS,
} from "./constants.ts";
import { DiskStore } from "./disk-state.ts";
import { DrainHandshake } from "./drain-handshake.ts";
import { DaemonMetrics } from "./metrics.ts";
import { NodeStatus } from "./node-status.ts";
import type { OsBackend } from "./os/backend.ts";
import type { ConfigSource, DaemonParts, Rebooter } from "./parts.ts";
import type { CredentialsSource } from "./pull-secret.ts";
import { NodeSync } from "./sync.ts";

export interface DaemonOptions {
  nodeName: string;
  clients: KubeClients;
  /**
   * Also the node's filesystem: every node path the daemon reads or writes (config files, CA
   * bundle, on-disk state) is resolved under `backend.rootDir`, the host root (os/host-root.ts).
   */
  backend: OsBackend;
  /** Pull credentials for rebases (default: none). */
  credentials?: CredentialsSource;
  /** Default: the backend's own reboot. */
  rebooter?: Rebooter;
  logger?: Logger;
  /** Shared across restarts so counters survive a simulated reboot. */
  metrics?: { runtime: RuntimeMetrics; daemon: DaemonMetrics };
  /** Serve /healthz, /readyz and /metrics. */
  metricsListen?: ListenAddress;
  /** chown written files to their configured owners (default: on, except for the simulated backend). */
  chown?: boolean;
  pollIntervalMs?: number;
  uncordonTimeoutMs?: number;
  retryDelayMs?: number;
  clock?: Clock;
}

export type DaemonExit = "stopped" | "rebooted";

export function daemonMetrics(registry?: RuntimeMetrics): { runtime: RuntimeMetrics; daemon: DaemonMetrics } {
  const runtime = registry ?? new RuntimeMetrics();
  return { runtime, daemon: new DaemonMetrics(runtime.registry) };
}

/** Annotation changes (and adds/deletes) only: status heartbeats do not wake the daemon. */
function annotationsChanged(event: ObjectEvent<KubeObject>): boolean {
  if (event.type !== "update" || event.old === undefined) return true;
  return (
    JSON.stringify(event.old.metadata.annotations ?? {}) !==
    JSON.stringify(event.object.metadata.annotations ?? {})
  );
}

export class Daemon {
  readonly #options: DaemonOptions;

  constructor(options: DaemonOptions) {
    this.#options = options;
  }

  /** Runs until `signal` aborts ("stopped") or the node rebooted ("rebooted"). */
  async run(signal: AbortSignal): Promise<DaemonExit> {
    const options = this.#options;
    const { clients, nodeName } = options;
    const logger = (options.logger ?? silentLogger()).child({ component: DAEMON_COMPONENT, node: nodeName });
    const metrics = options.metrics ?? daemonMetrics();
    const inner = new AbortController();
    const onAbort = (): void => inner.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    let rebooted = false;
    const nodes = new Informer<KubeObject>({
      clients,
      resource: NODES,
      fieldSelector: `metadata.name=${nodeName}`,
      logger,
    });
    const controllerConfigs = new Informer<ControllerConfig>({
      clients,
      resource: CONTROLLER_CONFIGS,
      fieldSelector: `metadata.name=${ObjectNames.controllerConfig}`,
      logger,
    });
    const sync = new NodeSync(this.#parts(logger, metrics.daemon, nodes, controllerConfigs));
    const request = [{ name: nodeName }];
    const controller = new Controller({
      name: DAEMON_COMPONENT,
      logger,
      metrics: metrics.runtime,
      reconciler: {
        reconcile: async (_request, context) => {
          const outcome = await sync.sync(context.signal);
          if (outcome.kind === "rebooted") {
            rebooted = true;
            inner.abort();
          }
          return outcome.kind === "retry" ? { requeueAfterMs: outcome.afterMs } : undefined;
        },
      },
    })
      .watch(nodes, { predicates: [annotationsChanged] })
      .watch(controllerConfigs, { map: () => request });
    const manager = new Manager({
      logger,
      metrics: metrics.runtime,
      ...(options.metricsListen !== undefined ? { metricsListen: options.metricsListen } : {}),
    }).add(controller);
    try {
      await manager.start(inner.signal);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    return rebooted ? "rebooted" : "stopped";
  }

  #parts(
    logger: Logger,
    metrics: DaemonMetrics,
    nodes: Informer<KubeObject>,
    controllerConfigs: Informer<ControllerConfig>,
  ): DaemonParts {
    const options = this.#options;
    const { backend, clients, nodeName } = options;
    const clock = options.clock ?? realClock;
    const node = new NodeStatus(clients.resource(NODES), nodeName, { latest: () => nodes.list()[0] });
    return {
      backend,
      node,
      handshake: new DrainHandshake(node, {
        pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        timeoutMs: undefined,
        clock,
      }),
      files: new ConfigFiles({ root: backend.rootDir, chown: options.chown ?? backend.name !== "simulated" }),
      disk: new DiskStore(backend.rootDir),
      configs: configSource(clients),
      controllerConfig: () => controllerConfigs.list()[0],
      credentials: options.credentials ?? (async () => undefined),
      rebooter: options.rebooter ?? { reboot: (signal) => backend.reboot(signal) },
      metrics,
      events: new EventRecorder({ clients, component: DAEMON_COMPONENT, instance: nodeName, logger }),
      logger,
      clock,
      uncordonTimeoutMs: options.uncordonTimeoutMs ?? DEFAULT_UNCORDON_TIMEOUT_MS,
      retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    };
  }
}

function configSource(clients: KubeClients): ConfigSource {
  const configs = clients.resource<MachineConfig>(MACHINE_CONFIGS);
  return {
    get: async (name, signal) => {
      try {
        return await configs.get(name, { signal });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}

/**
 * Runs daemon instances until `signal` aborts: a fresh one after every reboot. `onRestart` runs
 * between instances (the simulated node marks itself Ready there).
 */
export async function runDaemon(
  options: DaemonOptions,
  signal: AbortSignal,
  onRestart?: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const metrics = options.metrics ?? daemonMetrics();
  while (!signal.aborted) {
    const exit = await new Daemon({ ...options, metrics }).run(signal);
    if (exit === "stopped") return;
    await onRestart?.(signal);
  }
}
