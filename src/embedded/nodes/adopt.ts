// `mob up`'s side of `mob node add`: it watches for Nodes carrying JOINED_NODE_LABEL whose OS
// directory exists under its state directory and runs each one — heartbeat, Ready status and daemon
// — as it runs its own simulated nodes, until `signal` aborts. A restarted `mob up` adopts them again
// from the API. A labelled Node without a directory here (added for another state directory) is
// left alone.

import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { NODE_ROLE_LABEL_PREFIX } from "../../api/constants.ts";
import type { KubeObject } from "../../api/object.ts";
import { NODES } from "../../controllers/resources.ts";
import { Informer } from "../../runtime/informer.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import { JOINED_NODE_LABEL } from "./join.ts";
import type { SimulatedNodeSpec } from "./node-object.ts";
import type { SimulatedNode } from "./simulated-node.ts";

export interface AdoptOptions {
  clients: KubeClients;
  dir: string;
  /** Names already running (the nodes `mob up` started itself); adopted ones are added. */
  running: SimulatedNode[];
  /** Builds the simulated node for a spec, numbered `index` (zone and address). */
  create(spec: SimulatedNodeSpec, index: number): SimulatedNode;
  logger: Logger;
  signal: AbortSignal;
}

/** Runs until `signal` aborts; resolves after every adopted node has stopped. */
export async function adoptJoinedNodes(options: AdoptOptions): Promise<void> {
  const { clients, signal, logger } = options;
  const informer = new Informer<KubeObject>({
    clients,
    resource: NODES,
    labelSelector: JOINED_NODE_LABEL,
    logger,
  });
  const runs: Promise<void>[] = [];
  const claimed = new Set(options.running.map((node) => node.name));
  const adopt = (object: KubeObject): void => {
    const name = object.metadata.name ?? "";
    if (name === "" || claimed.has(name) || signal.aborted) return;
    claimed.add(name);
    runs.push(
      runAdopted(options, object).catch((error: unknown) => {
        if (!signal.aborted) logger.error({ err: error, node: name }, "joined node failed");
      }),
    );
  };
  informer.addEventHandler({ onAdd: adopt });
  await informer.start(signal).catch(() => undefined);
  await informer.stopped();
  await Promise.all(runs);
}

async function runAdopted(options: AdoptOptions, object: KubeObject): Promise<void> {
  const name = object.metadata.name ?? "";
  const nodeDir = join(options.dir, "nodes", name);
  const booted = await stat(join(nodeDir, "booted")).then(
    () => true,
    () => false,
  );
  if (!booted) {
    options.logger.info({ node: name }, "joined node has no OS directory here; not running it");
    return;
  }
  const roles = Object.keys(object.metadata.labels ?? {})
    .filter((key) => key.startsWith(NODE_ROLE_LABEL_PREFIX))
    .map((key) => key.slice(NODE_ROLE_LABEL_PREFIX.length));
  const node = options.create({ name, roles }, options.running.length);
  options.running.push(node);
  await node.register(options.signal);
  options.logger.info({ node: name }, "running joined node");
  await node.run(options.signal);
}
