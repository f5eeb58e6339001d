// `mob up`: the whole embedded mob on this machine, until SIGINT or SIGTERM.

import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EMBEDDED_PUSH_SECRET, startEmbeddedStack } from "../embedded/stack.ts";
import { createLogger } from "../logging.ts";
import { parseListenAddress } from "./listen-address.ts";

export async function runUpCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: "string", default: ".mob" },
      "api-listen": { type: "string", default: "127.0.0.1:6443" },
      "registry-listen": { type: "string", default: "127.0.0.1:5000" },
      "log-level": { type: "string", default: "warn" },
    },
    strict: true,
  });
  const dir = resolve(values.dir);
  await mkdir(dir, { recursive: true });
  const logger = createLogger({ level: values["log-level"] });
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  process.once("SIGTERM", () => stop.abort());
  const stack = await startEmbeddedStack({
    dir,
    apiListen: parseListenAddress(values["api-listen"]),
    registryListen: parseListenAddress(values["registry-listen"]),
    logger,
    signal: stop.signal,
  });
  console.log(`mob is up: API server ${stack.api.url}, registry ${stack.registry.url}`);
  console.log(`base OS image: ${stack.baseImage}`);
  console.log(`kubeconfig: ${stack.api.kubeconfigPath}`);
  console.log("");
  console.log("Try:");
  console.log(`  export KUBECONFIG=${stack.api.kubeconfigPath}`);
  console.log("  kubectl get machineconfigpools");
  console.log(
    `  # a MachineOSConfig pushes to ${stack.registry.url}/os/<pool>:latest with secret ${EMBEDDED_PUSH_SECRET}`,
  );
  console.log("ready");
  await stack.stopped;
  return 0;
}
