// `mob controller`: run mob's controllers (render, node, drain, and build when a builder image is
// given) against any API server until SIGINT or SIGTERM, optionally behind leader election.

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildControllerManager, DEFAULT_LEADER_ELECTION_NAMESPACE } from "../controllers/manager.ts";
import { createLogger } from "../logging.ts";
import { loadKubeClients } from "../runtime/kube-client.ts";
import { LeaderElectionLostError } from "../runtime/manager.ts";
import { CliError } from "./cli-error.ts";
import { parseListenAddress } from "./listen-address.ts";

/** `key=value,key2=value2` → a nodeSelector map. */
function parseNodeSelector(text: string): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const pair of text.split(",").filter(Boolean)) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new CliError(`--builder-node-selector wants key=value[,key=value], got "${text}"`);
    selector[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return selector;
}

export async function runControllerCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: "string" },
      "metrics-listen": { type: "string" },
      "leader-elect": { type: "boolean", default: false },
      "leader-election-namespace": { type: "string", default: DEFAULT_LEADER_ELECTION_NAMESPACE },
      "log-level": { type: "string", default: "info" },
      "builder-image": { type: "string" },
      "builder-node-selector": { type: "string" },
      "builder-command": { type: "string", default: "mob" },
      "builder-layer-cache": { type: "string" },
      "builder-node": { type: "string" },
    },
    strict: true,
  });
  const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG;
  if (!kubeconfig) throw new CliError("controller needs --kubeconfig FILE (or KUBECONFIG)");
  const metricsListen =
    values["metrics-listen"] === undefined ? undefined : parseListenAddress(values["metrics-listen"]);
  const logger = createLogger({ level: values["log-level"] });
  const clients = loadKubeClients(kubeconfig, { fieldManager: "machine-config-controller" });
  const builderImage = values["builder-image"];
  const layerCache = values["builder-layer-cache"];
  const { manager } = buildControllerManager({
    clients,
    logger,
    // Build pods run mob's own image (buildah + mob) on a cluster, with buildah storage in an emptyDir;
    // a layer cache (a hostPath) and a node name are for builds on one known host, as `mob up` runs them.
    ...(builderImage !== undefined
      ? {
          build: {
            mobCommand: values["builder-command"],
            builderImage,
            imagePullPolicy: "IfNotPresent" as const,
            buildahStorage:
              layerCache === undefined
                ? { kind: "emptyDir" as const }
                : { kind: "hostPath" as const, path: resolve(layerCache) },
            ...(values["builder-node"] !== undefined ? { nodeName: values["builder-node"] } : {}),
            ...(values["builder-node-selector"] !== undefined
              ? { nodeSelector: parseNodeSelector(values["builder-node-selector"]) }
              : {}),
          },
        }
      : {}),
    ...(metricsListen !== undefined ? { metricsListen } : {}),
    ...(values["leader-elect"] ? { leaderElectionNamespace: values["leader-election-namespace"] } : {}),
  });
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const running = manager.start(stop.signal);
  try {
    const probes = await manager.listening();
    const where = probes
      ? ` (probes and metrics at http://${probes.address.address}:${probes.address.port})`
      : "";
    console.log(`mob controller running${where}`);
    await running;
  } catch (error) {
    if (error instanceof LeaderElectionLostError) {
      console.error("mob controller: leader election lost; exiting");
      return 1;
    }
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  console.log("mob controller stopped");
  return 0;
}
