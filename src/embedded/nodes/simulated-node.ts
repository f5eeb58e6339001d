// One simulated node: its OS directory bootstrapped from the base image, its Node object and Lease
// heartbeat, and its daemon (the real Daemon with the simulated backend). A reboot marks the Node
// NotReady for `rebootDelayMs`, swaps booted ← staged (the backend's reboot), brings it back Ready
// with the new tree's osImage, and starts a fresh daemon instance that reads its state from disk.

import { join } from "node:path";
import type { Logger } from "pino";
import type { KubeObject } from "../../api/object.ts";
import { NODES } from "../../controllers/resources.ts";
import { type DaemonOptions, runDaemon } from "../../daemon/daemon.ts";
import type { PullCredentials } from "../../daemon/os/backend.ts";
import { SimulatedOsBackend, type SimulatedOsBackendOptions } from "../../daemon/os/simulated.ts";
import { staticCredentials } from "../../daemon/pull-secret.ts";
import { type Clock, realClock, sleep } from "../../runtime/clock.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import { readyStatus as readyStatusOf } from "../node-lifecycle-rules.ts";
import {
  osImageOf,
  registerSimulatedNode,
  renewNodeLease,
  type SimulatedNodeSpec,
  setNodeReady,
} from "./node-object.ts";

export interface SimulatedNodeOptions {
  /** Clients for whatever has no own identity below (the admin's, when the stack has no others). */
  clients: KubeClients;
  /** The node's own clients (Node, status, Lease), requested at register(): `system:node:<name>`. */
  nodeClients?: (signal: AbortSignal) => Promise<KubeClients>;
  /** The daemon's clients (its ServiceAccount). */
  daemonClients?: KubeClients;
  spec: SimulatedNodeSpec;
  index: number;
  /** `<dir>/nodes/<name>`. */
  nodeDir: string;
  baseImage: string;
  credentials: PullCredentials | undefined;
  rebootDelayMs: number;
  leaseRenewMs: number;
  logger: Logger;
  /** Passed through to the daemon (tests shorten its waits). */
  daemon?: Partial<Pick<DaemonOptions, "pollIntervalMs" | "retryDelayMs" | "uncordonTimeoutMs">>;
  /** Passed through to the OS backend. */
  backend?: Omit<SimulatedOsBackendOptions, "nodeDir">;
  clock?: Clock;
}

export class SimulatedNode {
  readonly name: string;
  readonly nodeDir: string;
  readonly #options: SimulatedNodeOptions;
  readonly #clock: Clock;
  #backend: SimulatedOsBackend | undefined;
  #clients: KubeClients;
  #reboots = 0;
  /** The Ready status this node last posted (a kubelet re-posts it when the Node says otherwise). */
  #postedReady: boolean | undefined;

  constructor(options: SimulatedNodeOptions) {
    this.#options = options;
    this.name = options.spec.name;
    this.nodeDir = options.nodeDir;
    this.#clock = options.clock ?? realClock;
    this.#clients = options.clients;
  }

  /** The booted tree (`<nodeDir>/booted/rootfs`). */
  get rootfs(): string {
    return join(this.nodeDir, "booted", "rootfs");
  }

  get reboots(): number {
    return this.#reboots;
  }

  /** Bootstraps the OS directory and registers the Node; resolves when both are done. */
  async register(signal: AbortSignal): Promise<void> {
    const options = this.#options;
    this.#backend = await SimulatedOsBackend.bootstrap(
      options.nodeDir,
      options.baseImage,
      options.credentials,
      signal,
      options.backend,
    );
    if (options.nodeClients !== undefined) this.#clients = await options.nodeClients(signal);
    await registerSimulatedNode(
      this.#clients,
      options.spec,
      options.index,
      await osImageOf(this.rootfs),
      signal,
    );
    await renewNodeLease(this.#clients, this.name, signal);
    this.#postedReady = true;
  }

  /** Runs the heartbeat and the daemon until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const backend = this.#backend;
    if (backend === undefined) throw new Error(`simulated node ${this.name}: register() first`);
    const options = this.#options;
    const logger = options.logger.child({ node: this.name });
    const daemon: DaemonOptions = {
      ...options.daemon,
      nodeName: this.name,
      clients: options.daemonClients ?? options.clients,
      backend,
      credentials: staticCredentials(options.credentials?.dockerConfigJson),
      logger,
      rebooter: { reboot: (s) => this.#reboot(backend, logger, s) },
    };
    await Promise.all([
      this.#heartbeat(logger, signal),
      runDaemon(daemon, signal, (s) => this.#ready(true, s)),
    ]);
  }

  async #reboot(backend: SimulatedOsBackend, logger: Logger, signal: AbortSignal): Promise<void> {
    logger.info("rebooting");
    await this.#ready(false, signal);
    await sleep(this.#clock, this.#options.rebootDelayMs, signal);
    await backend.reboot(signal);
    this.#reboots++;
  }

  async #ready(ready: boolean, signal: AbortSignal): Promise<void> {
    await setNodeReady(
      this.#clients,
      this.name,
      this.#options.index,
      await osImageOf(this.rootfs),
      ready,
      signal,
    );
    this.#postedReady = ready;
  }

  /** Posts Ready again when the Node says otherwise, e.g. after the node lifecycle controller marked it Unknown. */
  async #repostReadyIfOverwritten(signal: AbortSignal): Promise<void> {
    const posted = this.#postedReady;
    if (posted === undefined) return;
    const node = await this.#clients.resource<KubeObject>(NODES).get(this.name, { signal });
    if (readyStatusOf(node) !== (posted ? "True" : "False")) await this.#ready(posted, signal);
  }

  async #heartbeat(logger: Logger, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.#clock, this.#options.leaseRenewMs, signal);
      if (signal.aborted) return;
      await renewNodeLease(this.#clients, this.name, signal)
        .then(() => this.#repostReadyIfOverwritten(signal))
        .catch((error: unknown) => {
          if (!signal.aborted) logger.warn({ err: error }, "could not renew the node lease or status");
        });
    }
  }
}
