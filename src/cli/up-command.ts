// `mob up`: the whole embedded mob on this machine, until SIGINT or SIGTERM.

import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EMBEDDED_PUSH_SECRET, startEmbeddedStack } from "../embedded/stack.ts";
import { createLogger } from "../logging.ts";
import { CliError } from "./cli-error.ts";
import { parseListenAddress } from "./listen-address.ts";

function count(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100)
    throw new CliError(`${flag} wants a whole number from 0 to 100, got "${value}"`);
  return n;
}

export async function runUpCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: "string", default: ".mob" },
      "api-listen": { type: "string", default: "127.0.0.1:6443" },
      "registry-listen": { type: "string", default: "127.0.0.1:5000" },
      "log-level": { type: "string", default: "warn" },
      workers: { type: "string", default: "2" },
      masters: { type: "string", default: "1" },
      "metrics-listen": { type: "string" },
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
    workers: count("--workers", values.workers),
    masters: count("--masters", values.masters),
    ...(values["metrics-listen"] !== undefined
      ? { metricsListen: parseListenAddress(values["metrics-listen"]) }
      : {}),
    logger,
    signal: stop.signal,
  });
  console.log(`mob is up: API server ${stack.api.url}, registry ${stack.registry.url}`);
  console.log(`base OS image: ${stack.baseImage}`);
  console.log(`machine-config-server: ${stack.server.url} (mob node add --pool POOL --dir ${values.dir})`);
  console.log(`kubeconfig: ${stack.api.kubeconfigPath}`);
  if (stack.metrics !== undefined) {
    console.log(`controller metrics: http://${stack.metrics.address}:${stack.metrics.port}/metrics`);
  }
  console.log(
    `nodes: ${stack.nodes.nodes.map((node) => node.name).join(", ")} (OS trees under ${dir}/nodes/)`,
  );
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
