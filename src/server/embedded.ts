// The machine-config-server as `mob up` runs it: HTTPS with the API server's serving certificate
// (issued by the CA in `<dir>/pki`, which every kubeconfig `mob up` writes already trusts), and its
// URL recorded in `<dir>/machine-config-server.url` so `mob node add --dir` finds it.

import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { ensurePki } from "../apiserver/auth/pki.ts";
import type { KubeClients } from "../runtime/kube-client.ts";
import { type RunningMachineConfigServer, startMachineConfigServer } from "./http.ts";

export const SERVER_URL_FILE = "machine-config-server.url";

export interface EmbeddedServerOptions {
  dir: string;
  clients: KubeClients;
  listen?: { host: string; port: number };
  logger?: Logger;
  signal: AbortSignal;
}

export async function startEmbeddedMachineConfigServer(
  options: EmbeddedServerOptions,
): Promise<RunningMachineConfigServer> {
  const { certPem, keyPem } = await ensurePki(options.dir);
  const server = await startMachineConfigServer({
    clients: options.clients,
    listen: options.listen ?? { host: "127.0.0.1", port: 0 },
    tls: { certPem, keyPem },
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    signal: options.signal,
  });
  const file = join(options.dir, SERVER_URL_FILE);
  await writeFile(file, `${server.url}\n`);
  return { url: server.url, stopped: server.stopped.then(() => rm(file, { force: true })) };
}

/** The URL a running `mob up` on `dir` serves machine configs at, or undefined. */
export async function readEmbeddedServerUrl(dir: string): Promise<string | undefined> {
  const text = await readFile(join(dir, SERVER_URL_FILE), "utf8").catch(() => undefined);
  const url = text?.trim();
  return url === undefined || url === "" ? undefined : url;
}
