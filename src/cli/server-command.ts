// `mob server`: the machine-config-server against any API server, until SIGINT or SIGTERM.

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createLogger } from "../logging.ts";
import { loadKubeClients } from "../runtime/kube-client.ts";
import { DEFAULT_SERVER_PORT, startMachineConfigServer } from "../server/http.ts";
import { CliError } from "./cli-error.ts";
import { parseListenAddress } from "./listen-address.ts";

export async function runServerCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: "string" },
      listen: { type: "string", default: `0.0.0.0:${DEFAULT_SERVER_PORT}` },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      "insecure-http": { type: "boolean", default: false },
      "log-level": { type: "string", default: "info" },
    },
    strict: true,
  });
  const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG;
  if (!kubeconfig) throw new CliError("server needs --kubeconfig FILE (or KUBECONFIG)");
  const certFile = values["tls-cert"];
  const keyFile = values["tls-key"];
  const insecure = values["insecure-http"];
  if (insecure === (certFile !== undefined || keyFile !== undefined)) {
    throw new CliError("server needs --tls-cert FILE and --tls-key FILE, or --insecure-http");
  }
  if (!insecure && (certFile === undefined || keyFile === undefined)) {
    throw new CliError("server needs both --tls-cert FILE and --tls-key FILE");
  }
  const tls =
    certFile === undefined || keyFile === undefined
      ? undefined
      : { certPem: await readFile(certFile, "utf8"), keyPem: await readFile(keyFile, "utf8") };
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  process.once("SIGTERM", () => stop.abort());
  const server = await startMachineConfigServer({
    clients: loadKubeClients(kubeconfig, { fieldManager: "machine-config-server" }),
    listen: parseListenAddress(values.listen),
    tls,
    logger: createLogger({ level: values["log-level"] }),
    signal: stop.signal,
  });
  console.log(`mob server (machine-config-server) at ${server.url}: GET /config/<pool>, /healthz`);
  await server.stopped;
  return 0;
}
