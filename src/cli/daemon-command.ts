// `mob daemon`: the node agent for one node, against any API server, until SIGINT or SIGTERM.
// On rpm-ostree and bootc hosts a reboot ends the process with the machine; with the simulated
// backend (a node directory) the daemon restarts itself after each "reboot". The rpm-ostree and
// bootc backends act on the host root (`--host-root`, default /rootfs when the host's / is mounted
// there, as in the DaemonSet, else /): see src/daemon/os/host-root.ts.

import { parseArgs } from "node:util";
import { Daemon, type DaemonOptions, daemonMetrics } from "../daemon/daemon.ts";
import type { OsBackend } from "../daemon/os/backend.ts";
import { BootcBackend } from "../daemon/os/bootc.ts";
import { spawnCommand } from "../daemon/os/command-runner.ts";
import { resolveHostRoot } from "../daemon/os/host-root.ts";
import { RpmOstreeBackend } from "../daemon/os/rpm-ostree.ts";
import { SimulatedOsBackend } from "../daemon/os/simulated.ts";
import { pullSecretFile } from "../daemon/pull-secret.ts";
import { createLogger } from "../logging.ts";
import { loadKubeClients } from "../runtime/kube-client.ts";
import { CliError } from "./cli-error.ts";
import { parseListenAddress } from "./listen-address.ts";

const BACKENDS = ["rpm-ostree", "bootc", "simulated"] as const;

export async function runDaemonCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      node: { type: "string" },
      kubeconfig: { type: "string" },
      backend: { type: "string", default: "rpm-ostree" },
      "node-dir": { type: "string" },
      "host-root": { type: "string" },
      "pull-secret": { type: "string" },
      "metrics-listen": { type: "string" },
      "log-level": { type: "string", default: "info" },
    },
    strict: true,
  });
  const nodeName = values.node ?? process.env.NODE_NAME;
  if (!nodeName) throw new CliError("daemon needs --node NAME (or NODE_NAME)");
  const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG;
  if (!kubeconfig) throw new CliError("daemon needs --kubeconfig FILE (or KUBECONFIG)");
  const logger = createLogger({ level: values["log-level"] });
  const backend = await makeBackend(values.backend, values, logger);
  const metricsListen =
    values["metrics-listen"] === undefined ? undefined : parseListenAddress(values["metrics-listen"]);
  const options: DaemonOptions = {
    nodeName,
    clients: loadKubeClients(kubeconfig, { fieldManager: "machine-config-daemon" }),
    backend,
    credentials: pullSecretFile(values["pull-secret"]),
    logger,
    metrics: daemonMetrics(),
    ...(metricsListen !== undefined ? { metricsListen } : {}),
  };
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  console.log(`mob daemon running for node ${nodeName} (${backend.name} backend, root ${backend.rootDir})`);
  try {
    while (!stop.signal.aborted) {
      const exit = await new Daemon(options).run(stop.signal);
      if (exit === "stopped") break;
      if (backend.name !== "simulated") {
        // The host is going down; a new daemon starts with it after the boot.
        console.log(`mob daemon: node ${nodeName} is rebooting`);
        await new Promise((resolve) => stop.signal.addEventListener("abort", resolve, { once: true }));
        break;
      }
      console.log(`mob daemon: node ${nodeName} rebooted; starting again from disk`);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  console.log("mob daemon stopped");
  return 0;
}

async function makeBackend(
  name: string,
  paths: { "node-dir"?: string | undefined; "host-root"?: string | undefined },
  logger: ReturnType<typeof createLogger>,
): Promise<OsBackend> {
  switch (name) {
    case "rpm-ostree":
      return new RpmOstreeBackend({
        run: spawnCommand,
        hostRoot: await hostRootOption(paths["host-root"]),
        logger,
      });
    case "bootc":
      return new BootcBackend({
        run: spawnCommand,
        hostRoot: await hostRootOption(paths["host-root"]),
        logger,
      });
    case "simulated": {
      const nodeDir = paths["node-dir"];
      if (nodeDir === undefined) throw new CliError("--backend simulated needs --node-dir DIR");
      if (paths["host-root"] !== undefined) {
        throw new CliError(
          "--host-root is for rpm-ostree and bootc; the simulated node's root is --node-dir",
        );
      }
      return new SimulatedOsBackend({ nodeDir });
    }
    default:
      throw new CliError(`--backend wants one of ${BACKENDS.join(", ")}, got "${name}"`);
  }
}

async function hostRootOption(configured: string | undefined): Promise<string> {
  try {
    return await resolveHostRoot(configured);
  } catch (error) {
    throw new CliError(`--host-root: ${error instanceof Error ? error.message : String(error)}`);
  }
}
