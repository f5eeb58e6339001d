// A simulated node in a process of its own, so that a test can cut its power: SIGKILL stops the
// daemon wherever it is, with whatever it had written left on disk and no cleanup code run. Started
// again on the same directory, the node boots what the disk says is booted. The test runs:
//   node simulated-node-process.ts --kubeconfig FILE --dir DIR --name NAME --base-image IMAGE
//     [--index N] [--boot-only] [--hold-after-layer N --marker FILE] [--lease-renew-ms MS]
// --boot-only         bootstrap (or recover) the OS directory, register the Node and exit before
//                     the daemon starts: the moment right after power-on.
// --hold-after-layer  once a rebase has unpacked N layers and more remain, write MARKER (JSON
//                     StagingProgress) and stay there until killed: the instant to cut the power.
// The registry credentials come from the cluster's pull secret copy, never from the command line.

import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { MCO_NAMESPACE, ObjectNames } from "../../src/api/constants.ts";
import type { KubeObject } from "../../src/api/object.ts";
import { SECRETS } from "../../src/controllers/build/resources.ts";
import type { StagingProgress } from "../../src/daemon/os/simulated.ts";
import { SimulatedNode } from "../../src/embedded/nodes/simulated-node.ts";
import { createLogger } from "../../src/logging.ts";
import { type KubeClients, loadKubeClients } from "../../src/runtime/kube-client.ts";

const { values } = parseArgs({
  options: {
    kubeconfig: { type: "string" },
    dir: { type: "string" },
    name: { type: "string" },
    "base-image": { type: "string" },
    index: { type: "string", default: "7" },
    "boot-only": { type: "boolean", default: false },
    "hold-after-layer": { type: "string" },
    marker: { type: "string" },
    "lease-renew-ms": { type: "string", default: "10000" },
  },
  strict: true,
});

function required(name: "kubeconfig" | "dir" | "name" | "base-image"): string {
  const value = values[name];
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

async function pullSecret(clients: KubeClients, signal: AbortSignal): Promise<string> {
  const secret = await clients
    .resource<KubeObject & { data?: Record<string, string> }>(SECRETS)
    .get(ObjectNames.globalPullSecretCopy, { namespace: MCO_NAMESPACE, signal });
  return Buffer.from(secret.data?.[".dockerconfigjson"] ?? "", "base64").toString("utf8");
}

/** Writes the marker, then holds the pull until the process is killed (or stopped). */
function holdAfter(layer: number, marker: string) {
  return async (progress: StagingProgress, signal: AbortSignal): Promise<void> => {
    if (progress.layer !== layer || progress.layers <= layer) return;
    await writeFile(`${marker}.tmp`, JSON.stringify(progress));
    await rename(`${marker}.tmp`, marker);
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  };
}

async function main(): Promise<void> {
  const stop = new AbortController();
  process.once("SIGTERM", () => stop.abort());
  const clients = loadKubeClients(required("kubeconfig"), { fieldManager: "simulated-node" });
  const name = required("name");
  const hold = values["hold-after-layer"];
  const marker = values.marker;
  const node = new SimulatedNode({
    clients,
    spec: { name, roles: ["worker"] },
    index: Number(values.index),
    nodeDir: join(required("dir"), "nodes", name),
    baseImage: required("base-image"),
    credentials: { dockerConfigJson: await pullSecret(clients, stop.signal) },
    rebootDelayMs: 300,
    leaseRenewMs: Number(values["lease-renew-ms"]),
    logger: createLogger({ level: "warn", destination: process.stderr }),
    ...(hold !== undefined && marker !== undefined
      ? { backend: { afterStagedLayer: holdAfter(Number(hold), marker) } }
      : {}),
  });
  await node.register(stop.signal);
  process.stdout.write("registered\n");
  if (values["boot-only"]) return;
  await node.run(stop.signal);
}

await main();
// Open connections (watches, keep-alive sockets) would keep a stopped node's process alive.
process.exit(0);
