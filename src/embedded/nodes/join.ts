// `mob node add`: a new simulated node's first boot from the machine-config-server, as Ignition
// and upstream's firstboot service do it on a real machine. It fetches `/config/<pool>`, creates the
// node's OS directory from the image the served config names — the layered image when the server
// hands one out (one pivot: the node never boots the base image), else the config's osImageURL —,
// writes the served files, units and users into the booted tree, records the config as the node's
// current one (disk beats annotations), and registers the Node with the pool's node-selector labels,
// the served annotations and JOINED_NODE_LABEL. The Node stays NotReady until a `mob up` on the same
// state directory adopts it (adopt.ts) and runs its heartbeat and daemon, like its own nodes.

import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { NODE_ROLE_LABEL_PREFIX, NodeAnnotations } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { MACHINE_CONFIG_POOLS, NODES } from "../../controllers/resources.ts";
import { withOverwrite } from "../../daemon/config-paths.ts";
import { DiskStore } from "../../daemon/disk-state.ts";
import type { PullCredentials } from "../../daemon/os/backend.ts";
import { SimulatedOsBackend } from "../../daemon/os/simulated.ts";
import {
  decodeFileContents,
  type IgnitionConfig,
  materialiseToTree,
  parseIgnitionOrThrow,
} from "../../ignition/index.ts";
import { silentLogger } from "../../logging.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import { fetchPoolConfig } from "../../server/client.ts";
import { ServedPaths } from "../../server/paths.ts";

/** mob only: label on Nodes `mob node add` created; `mob up` runs the simulated node for each. */
export const JOINED_NODE_LABEL = "mob.openshift.io/simulated-node";

export interface JoinNodeOptions {
  /** Admin clients of the API server (to read the pool and register the Node). */
  clients: KubeClients;
  /** The machine-config-server, `https://host:port`. */
  serverUrl: string;
  /** CA to trust for the server's certificate. */
  caPem?: string | undefined;
  pool: string;
  name: string;
  /** mob's state directory: the node lives in `<dir>/nodes/<name>/`. */
  dir: string;
  /** Registry credentials for the first pull (never logged). */
  credentials?: PullCredentials | undefined;
  logger?: Logger;
  signal: AbortSignal;
}

export interface JoinedNode {
  name: string;
  nodeDir: string;
  /** The rendered MachineConfig the node booted with. */
  config: string;
  /** The image the node booted: the layered one, or the config's osImageURL. */
  image: string;
  layered: boolean;
}

export async function joinNode(options: JoinNodeOptions): Promise<JoinedNode> {
  const { clients, name, signal } = options;
  const logger = (options.logger ?? silentLogger()).child({ component: "node-join", node: name });
  const nodeDir = join(options.dir, "nodes", name);
  if (await exists(nodeDir)) throw new Error(`node ${name} already exists (${nodeDir})`);
  const pool = await clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS).get(options.pool, { signal });
  const served = parseIgnitionOrThrow(
    await fetchPoolConfig({ serverUrl: options.serverUrl, pool: options.pool, caPem: options.caPem, signal }),
  );
  const annotations = stringRecord(servedJson(served, ServedPaths.nodeAnnotations));
  const machineConfig = servedJson(served, ServedPaths.encapsulatedConfig) as MachineConfig;
  const config = annotations[NodeAnnotations.desiredConfig] ?? machineConfig.metadata?.name ?? "";
  const layeredImage = annotations[NodeAnnotations.desiredImage];
  const image = layeredImage ?? machineConfig.spec?.osImageURL ?? "";
  if (config === "" || image === "")
    throw new Error(`the server's config for pool ${options.pool} names no config or image`);
  logger.info({ config, image }, "first boot");
  const backend = await SimulatedOsBackend.bootstrap(nodeDir, image, options.credentials, signal);
  await materialiseToTree(withOverwrite(served), backend.rootDir, { signal });
  await new DiskStore(backend.rootDir).write({ config: machineConfig, image: layeredImage ?? "" });
  await clients
    .resource<KubeObject>(NODES)
    .create({ metadata: { name, labels: nodeLabels(pool, name), annotations }, spec: {} }, { signal });
  return { name, nodeDir, config, image, layered: layeredImage !== undefined };
}

/** The pool's matchLabels, the worker role for custom pools (as upstream's), the hostname and ours. */
function nodeLabels(pool: MachineConfigPool, name: string): Record<string, string> {
  const selected = pool.spec.nodeSelector?.matchLabels ?? {};
  const master = `${NODE_ROLE_LABEL_PREFIX}master`;
  return {
    ...(master in selected ? {} : { [`${NODE_ROLE_LABEL_PREFIX}worker`]: "" }),
    ...selected,
    "kubernetes.io/hostname": name,
    [JOINED_NODE_LABEL]: "",
  };
}

function servedJson(config: IgnitionConfig, path: string): unknown {
  const file = config.storage?.files?.find((f) => f.path === path);
  if (file === undefined) throw new Error(`the server's config has no ${path}`);
  return JSON.parse(decodeFileContents(file).toString("utf8")) as unknown;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) throw new Error(`${ServedPaths.nodeAnnotations} is not a JSON object`);
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
