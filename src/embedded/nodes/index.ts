// Simulated nodes for embedded mode: `startSimulatedNodes` bootstraps each node's OS directory from
// the base image, registers Node objects with Lease heartbeats, places placeholder workload pods on
// the workers (with a PodDisruptionBudget, so drains are real) and runs one mob daemon per node,
// in process, with the simulated OS backend.

import { join } from "node:path";
import type { Logger } from "pino";
import type { DaemonOptions } from "../../daemon/daemon.ts";
import type { PullCredentials } from "../../daemon/os/backend.ts";
import { silentLogger } from "../../logging.ts";
import { type KubeClients, loadKubeClients } from "../../runtime/kube-client.ts";
import { NODE_LEASE_NAMESPACE } from "../node-registration.ts";
import { adoptJoinedNodes } from "./adopt.ts";
import { ensureNamespace, type SimulatedNodeSpec } from "./node-object.ts";
import { PLACEHOLDER_NAMESPACE, Placeholders } from "./placeholders.ts";
import { SimulatedNode } from "./simulated-node.ts";

export { JOINED_NODE_LABEL, type JoinedNode, type JoinNodeOptions, joinNode } from "./join.ts";
export { type SimulatedNodeSpec, ZONE_LABEL, ZONES } from "./node-object.ts";
export { PLACEHOLDER_BUDGET, PLACEHOLDER_LABEL, PLACEHOLDER_NAMESPACE } from "./placeholders.ts";
export { SimulatedNode } from "./simulated-node.ts";

/** The identities simulated nodes run with (default: the admin's clients for everything). */
export interface SimulatedNodeIdentities {
  /** Every node's daemon. */
  daemon: KubeClients;
  /** Node `name`'s own clients (Node, status, Lease). */
  node(name: string, signal: AbortSignal): Promise<KubeClients>;
}

export interface SimulatedNodesOptions {
  /** Admin kubeconfig of the API server (or pass `clients`). */
  kubeconfig?: string;
  /** Admin clients: the lease namespace, placeholder workloads and adopting joined nodes. */
  clients?: KubeClients;
  identities?: SimulatedNodeIdentities;
  /** mob's state directory: node `n` lives in `<dir>/nodes/<n>/`. */
  dir: string;
  nodes: SimulatedNodeSpec[];
  /** dockerconfigjson for the registry the base and layered images live in (never logged). */
  registryCredentials?: PullCredentials;
  /** Digest-pinned base OS image each new node boots first. */
  baseImage: string;
  signal: AbortSignal;
  /** How long a rebooting node stays NotReady (default 2 s). */
  rebootDelayMs?: number;
  /** Lease renewal period (default 10 s, as the kubelet). */
  leaseRenewMs?: number;
  /** Placeholder pods a drain evicted come back on another node after this long (default 1 s). */
  replaceDelayMs?: number;
  logger?: Logger;
  /** Daemon timings (tests shorten them). */
  daemon?: Partial<Pick<DaemonOptions, "pollIntervalMs" | "retryDelayMs" | "uncordonTimeoutMs">>;
}

export interface SimulatedNodes {
  nodes: SimulatedNode[];
  get(name: string): SimulatedNode | undefined;
  /** Settles once every node's daemon and heartbeat have stopped (after `signal` aborted). */
  stopped(): Promise<void>;
}

/** Registers the nodes (resolves once all are registered and Ready) and runs them until `signal` aborts. */
export async function startSimulatedNodes(options: SimulatedNodesOptions): Promise<SimulatedNodes> {
  const { signal } = options;
  const logger = (options.logger ?? silentLogger()).child({ component: "simulated-nodes" });
  const clients =
    options.clients ?? (options.kubeconfig === undefined ? undefined : loadKubeClients(options.kubeconfig));
  if (clients === undefined) throw new Error("startSimulatedNodes needs kubeconfig or clients");
  const { identities } = options;
  const create = (spec: SimulatedNodeSpec, index: number): SimulatedNode =>
    new SimulatedNode({
      clients,
      ...(identities !== undefined
        ? { daemonClients: identities.daemon, nodeClients: (s: AbortSignal) => identities.node(spec.name, s) }
        : {}),
      spec,
      index,
      nodeDir: join(options.dir, "nodes", spec.name),
      baseImage: options.baseImage,
      credentials: options.registryCredentials,
      rebootDelayMs: options.rebootDelayMs ?? 2_000,
      leaseRenewMs: options.leaseRenewMs ?? 10_000,
      logger,
      ...(options.daemon !== undefined ? { daemon: options.daemon } : {}),
    });
  const nodes = options.nodes.map(create);
  // The cluster's namespace for node heartbeats (kube-apiserver creates it; nodes may not).
  await ensureNamespace(clients, NODE_LEASE_NAMESPACE, signal);
  await Promise.all(nodes.map((node) => node.register(signal)));
  await ensureNamespace(clients, PLACEHOLDER_NAMESPACE, signal);
  const workers = options.nodes.filter((spec) => spec.roles.includes("worker")).map((spec) => spec.name);
  const placeholders = new Placeholders({
    clients,
    workers,
    logger,
    ...(options.replaceDelayMs !== undefined ? { replaceDelayMs: options.replaceDelayMs } : {}),
  });
  await placeholders.create(signal);
  const running = Promise.allSettled([
    placeholders.run(signal),
    ...nodes.map((node) => node.run(signal)),
    // Nodes `mob node add` bootstrapped into this directory join the list as they appear.
    adoptJoinedNodes({ clients, dir: options.dir, running: nodes, create, logger, signal }),
  ]).then((results) => {
    for (const result of results) {
      if (result.status === "rejected" && !signal.aborted)
        logger.error({ err: result.reason }, "simulated node failed");
    }
  });
  logger.info({ nodes: nodes.map((node) => node.name) }, "simulated nodes running");
  return { nodes, get: (name) => nodes.find((node) => node.name === name), stopped: () => running };
}
