// `mob node add`: bootstrap a new simulated node of a pool from the machine-config-server of a
// running `mob up` (same --dir), which then runs it. See src/embedded/nodes/join.ts.

import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { MCO_NAMESPACE, ObjectNames } from "../api/constants.ts";
import type { KubeObject } from "../api/object.ts";
import { SECRETS } from "../controllers/build/resources.ts";
import { joinNode } from "../embedded/nodes/index.ts";
import { createLogger } from "../logging.ts";
import { isNotFound } from "../runtime/errors.ts";
import { type KubeClients, loadKubeClients } from "../runtime/kube-client.ts";
import { readEmbeddedServerUrl } from "../server/embedded.ts";
import { CliError } from "./cli-error.ts";

const USAGE = "mob node add --pool POOL [--name NAME] [--dir .mob] [--kubeconfig FILE] [--server URL]";

export async function runNodeCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== "add") throw new CliError(`usage: ${USAGE}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      pool: { type: "string" },
      name: { type: "string" },
      dir: { type: "string", default: ".mob" },
      kubeconfig: { type: "string" },
      server: { type: "string" },
      "log-level": { type: "string", default: "warn" },
    },
    strict: true,
  });
  if (!values.pool) throw new CliError(`node add needs --pool POOL (${USAGE})`);
  const dir = resolve(values.dir);
  const kubeconfig = values.kubeconfig ?? join(dir, "kubeconfig");
  const serverUrl = values.server ?? (await readEmbeddedServerUrl(dir));
  if (serverUrl === undefined) {
    throw new CliError(
      `no machine-config-server URL: is \`mob up --dir ${values.dir}\` running? (or pass --server URL)`,
    );
  }
  const clients = loadKubeClients(kubeconfig, { fieldManager: "mob-node-add" });
  const name = values.name ?? `${values.pool}-${randomBytes(3).toString("hex")}`;
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  const joined = await joinNode({
    clients,
    serverUrl,
    caPem: await clusterCa(clients),
    pool: values.pool,
    name,
    dir,
    credentials: await pullSecret(clients, stop.signal),
    logger: createLogger({ level: values["log-level"] }),
    signal: stop.signal,
  }).catch((error: unknown) => {
    throw new CliError(`node add: ${error instanceof Error ? error.message : String(error)}`);
  });
  console.log(`node ${joined.name} booted ${joined.config}`);
  console.log(
    joined.layered
      ? `  straight into the pool's layered image ${joined.image} (one boot, no base-image boot first)`
      : `  on the config's OS image ${joined.image} (a layered pool's image follows through a rollout)`,
  );
  console.log(`  OS tree: ${joined.nodeDir}/booted/rootfs`);
  console.log(`  \`mob up\` on ${dir} runs it: kubectl get node ${joined.name}`);
  return 0;
}

/** The CA the kubeconfig trusts; mob up's machine-config-server is issued by the same one. */
async function clusterCa(clients: KubeClients): Promise<string | undefined> {
  const cluster = clients.kubeConfig.getCurrentCluster();
  if (cluster?.caData) return Buffer.from(cluster.caData, "base64").toString("utf8");
  if (cluster?.caFile) return readFile(cluster.caFile, "utf8");
  return undefined;
}

/** The cluster pull secret's copy, which mob up fills with its registry's credentials. */
async function pullSecret(
  clients: KubeClients,
  signal: AbortSignal,
): Promise<{ dockerConfigJson: string } | undefined> {
  try {
    const secret = await clients
      .resource<KubeObject>(SECRETS)
      .get(ObjectNames.globalPullSecretCopy, { namespace: MCO_NAMESPACE, signal });
    const data = (secret as { data?: Record<string, string> }).data?.[".dockerconfigjson"];
    return data === undefined
      ? undefined
      : { dockerConfigJson: Buffer.from(data, "base64").toString("utf8") };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
