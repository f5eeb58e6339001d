// Connecting a user-facing command to the API server: which kubeconfig (flag, then $KUBECONFIG,
// then `mob up`'s default .mob/kubeconfig), and failures turned into messages that say what to do.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ApiStatusError } from "../../runtime/errors.ts";
import { type KubeClients, loadKubeClients } from "../../runtime/kube-client.ts";
import { CliError } from "../cli-error.ts";

export const DEFAULT_KUBECONFIG = ".mob/kubeconfig";

export function kubeconfigPath(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const chosen = flag ?? (env.KUBECONFIG !== undefined && env.KUBECONFIG !== "" ? env.KUBECONFIG : undefined);
  const path = resolve(chosen ?? DEFAULT_KUBECONFIG);
  if (!existsSync(path)) {
    throw new CliError(
      chosen === undefined
        ? `no kubeconfig at ${DEFAULT_KUBECONFIG}; start mob with \`mob up\`, or pass --kubeconfig FILE`
        : `kubeconfig ${path} does not exist`,
    );
  }
  return path;
}

export function connect(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): KubeClients {
  const path = kubeconfigPath(flag, env);
  try {
    return loadKubeClients(path, { fieldManager: "mob-cli" });
  } catch (error) {
    throw new CliError(`cannot read kubeconfig ${path}: ${error instanceof Error ? error.message : error}`);
  }
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if ("code" in current && typeof current.code === "string") return current.code;
    current = current.cause;
  }
  return undefined;
}

/** A failure talking to the API server as a CliError; other errors (and aborts) pass through. */
export function apiFailure(error: unknown, clients: KubeClients): unknown {
  if (error instanceof CliError) return error;
  const server = clients.kubeConfig.getCurrentCluster()?.server ?? "the API server";
  if (error instanceof ApiStatusError) {
    if (error.code === 401 || error.code === 403) {
      return new CliError(`${server} refused the request (${error.code}): ${error.message}`);
    }
    return new CliError(`${server}: ${error.message}`);
  }
  const code = causeCode(error);
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ECONNRESET") {
    return new CliError(`cannot reach the API server at ${server} (${code}); is \`mob up\` running?`);
  }
  return error;
}
